using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.AiPlatform;

/// <summary>
/// Typed client of the AI platform that writes the analysis of each portfolio section: a user's login for a bearer
/// token, then one call per section. Register it with <see cref="AiPlatformServiceCollectionExtensions.AddAiPlatformClient"/>.
/// </summary>
/// <remarks>
/// <para>
/// The platform publishes no protocol; the one spoken here is the simulators' (simulators/README.md): every call
/// carries <c>X-API-Key</c> and <c>X-Tenant-Id</c>, the login posts <c>{"username","password"}</c> to
/// <c>auth/login</c>, an analysis posts <c>{"section","data"}</c> to <c>v1/analyses</c> with the bearer token.
/// </para>
/// <para>
/// One attempt per call, bounded by <see cref="AiPlatformOptions.Timeout"/>, and no retry: whoever runs the sections
/// retries, backs off and honours Retry-After. Every failure is an <see cref="UpstreamException"/> (upstream
/// <see cref="Upstream"/>): permanent <c>invalid_credentials</c> for a refused login, permanent <c>invalid_token</c>
/// for a token the platform no longer accepts (log in again), permanent for a refused API key or tenant (403) and
/// other 4xx; transient for 408, 429 (with <see cref="UpstreamException.RetryAfter"/>), 5xx, timeouts, dropped
/// connections and malformed replies. No message contains the password, the API key or the token.
/// </para>
/// </remarks>
public sealed class AiPlatformClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures.</summary>
    public const string Upstream = "aiplatform";

    /// <summary>The <see cref="UpstreamException.ErrorCode"/> of a refused login.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>The <see cref="UpstreamException.ErrorCode"/> of an access token the platform does not accept: log in again.</summary>
    public const string InvalidToken = "invalid_token";

    private const string LoginPath = "auth/login";
    private const string AnalysesPath = "v1/analyses";
    private const string Section = AiPlatformOptions.Section;

    private readonly AiPlatformOptions _options;
    private readonly TimeProvider _time;
    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="AiPlatformServiceCollectionExtensions.AddAiPlatformClient"/>.</summary>
    /// <exception cref="OptionsValidationException">An <c>AiPlatform</c> setting is invalid.</exception>
    public AiPlatformClient(HttpClient http, IOptions<AiPlatformOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _time = time;
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "the AI platform",
            "the platform",
            Section,
            Root(_options.BaseUrl),
            _options.Timeout,
            [_options.ApiKey],
            Advice,
            "The request itself is wrong (the login body, or the section or its data); fix it, retrying will not help.",
            (shown, why, inner) => Malformed($"POST {shown}", why, inner)));
    }

    /// <summary>Logs the user in: the bearer token <see cref="AnalyzeAsync"/> needs, and when it expires.</summary>
    /// <param name="username">The user's name at the platform.</param>
    /// <param name="password">The user's password; sent once, never kept nor put in a message.</param>
    /// <exception cref="UpstreamException">
    /// The login failed: permanent <c>invalid_credentials</c> (status 401) when the platform refused the user; see
    /// <see cref="UpstreamException.IsTransient"/> for the rest.
    /// </exception>
    public async Task<AiPlatformToken> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var body = new JsonObject { ["username"] = username, ["password"] = password }.ToJsonString();
        var root = await PostAsync(
            LoginPath,
            body,
            password,
            refusal => refusal.Status == 401
                ? new UpstreamException(
                    Upstream,
                    "The AI platform refused the login of this user (invalid_credentials): check the user name and password.",
                    refusal.Status,
                    isTransient: false,
                    InvalidCredentials)
                : null,
            cancellationToken);
        var received = _time.GetUtcNow();
        const string call = $"POST {LoginPath}";
        var accessToken = RequiredString(root, "access_token", call);
        if (root.TryGetProperty("token_type", out var type)
            && !(type.ValueKind == JsonValueKind.String && string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            throw Malformed(call, "token_type is not Bearer", inner: null);
        }

        var expiresIn = root.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt32(out var value) && value > 0
            ? value
            : throw Malformed(call, "expires_in is missing or not a whole number of seconds above 0", inner: null);
        return new AiPlatformToken(accessToken, received.AddSeconds(expiresIn));
    }

    /// <summary>The platform's analysis of one section of a portfolio.</summary>
    /// <param name="accessToken">A token of <see cref="LoginAsync"/>.</param>
    /// <param name="section">The section's name, such as <c>summary</c> or <c>allocation</c>.</param>
    /// <param name="data">The section's data, sent as it is.</param>
    /// <exception cref="UpstreamException">
    /// The call failed: permanent <c>invalid_token</c> (status 401) when the platform no longer accepts the token (log
    /// in again); see <see cref="UpstreamException.IsTransient"/> for the rest.
    /// </exception>
    public async Task<AiPlatformAnalysis> AnalyzeAsync(string accessToken, string section, JsonNode data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(data);
        var body = new JsonObject { ["section"] = section, ["data"] = data.DeepClone() }.ToJsonString();
        var root = await PostAsync(
            AnalysesPath,
            body,
            accessToken,
            refusal => refusal.Status == 401
                ? new UpstreamException(
                    Upstream,
                    $"The AI platform refused the access token ({InvalidToken}) for {refusal.Call}: it is unknown or has expired; log in again.",
                    refusal.Status,
                    isTransient: false,
                    InvalidToken)
                : null,
            cancellationToken);
        const string call = $"POST {AnalysesPath}";
        var named = RequiredString(root, "section", call);
        if (!string.Equals(named, section, StringComparison.Ordinal))
        {
            throw Malformed(call, "section is not the section asked for", inner: null);
        }

        var tokens = root.TryGetProperty("tokens", out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var value) && value >= 0
            ? value
            : throw Malformed(call, "tokens is missing or not a whole number of 0 or more", inner: null);
        return new AiPlatformAnalysis(named, RequiredString(root, "analysis", call), RequiredString(root, "model", call), tokens);
    }

    /// <summary>One attempt at one POST of JSON (<see cref="UpstreamCall"/>); the reply's root, a JSON object.</summary>
    private async Task<JsonElement> PostAsync(
        string path, string json, string secret, Func<UpstreamRefusal, UpstreamException?> explain, CancellationToken cancellationToken)
    {
        var root = await _upstream.SendAsync(
            new UpstreamRequest(HttpMethod.Post, path, path)
            {
                Headers = headers =>
                {
                    headers.TryAddWithoutValidation("X-API-Key", _options.ApiKey);
                    headers.TryAddWithoutValidation("X-Tenant-Id", _options.TenantId);
                    if (path == AnalysesPath)
                    {
                        headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                    }

                    headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                },
                Body = () => new StringContent(json, Encoding.UTF8, "application/json"),
                Secrets = [secret],
                Explain = explain,
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);

                // A clone owns its memory, so the reply outlives the document.
                return document.RootElement.Clone();
            },
            cancellationToken);
        return root.ValueKind == JsonValueKind.Object
            ? root
            : throw Malformed($"POST {path}", $"the body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object", inner: null);
    }

    private static string RequiredString(JsonElement root, string name, string call) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Malformed(call, $"{name} is missing or not a non-empty string", inner: null);

    /// <summary>The failure for a reply that is not the expected JSON: usually a truncated body, so transient.</summary>
    private static UpstreamException Malformed(string call, string why, Exception? inner) => new(
        Upstream,
        $"The AI platform answered {call} with a body that is not the expected JSON ({why}). "
        + "This is usually a truncated reply: retry later; if it persists, the platform's format has changed and this client needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    /// <summary>The advice for the refusals this platform explains itself; the rest is <see cref="UpstreamCall"/>'s.</summary>
    private static string? Advice(int status) => status switch
    {
        403 => $"The platform does not accept this API key for this tenant: check {Section}:ApiKey and {Section}:TenantId; retrying will not help.",
        404 => $"Check that {Section}:BaseUrl is the platform's API root (such as http://127.0.0.1:5090/aiplatform/); retrying will not help.",
        _ => null,
    };

    /// <summary>The root the paths resolve under: the setting with a trailing slash.</summary>
    private static Uri Root(Uri? url)
    {
        if (url is not { IsAbsoluteUri: true })
        {
            throw new OptionsValidationException(
                Section,
                typeof(AiPlatformOptions),
                [$"{Section}:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/aiplatform/; was '{url?.OriginalString}'."]);
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
