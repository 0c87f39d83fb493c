using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.TrueLayer;

/// <summary>
/// TrueLayer's auth host: the URL of the auth dialog a user connects a bank in, the exchange of the code it returns
/// for a connection's tokens, and their refresh. Register it with
/// <see cref="TrueLayerServiceCollectionExtensions.AddTrueLayerClients"/>.
/// </summary>
/// <remarks>
/// <para>
/// One attempt per call, bounded by <see cref="TrueLayerOptions.Timeout"/>, and no retry: the job runtime and the
/// callers retry. A refresh that timed out may still have rotated the refresh token at TrueLayer; the caller decides.
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>, with TrueLayer's
/// <see cref="UpstreamException.ErrorCode"/>): transient for 408, 429, 5xx, timeouts, dropped connections and
/// malformed replies; permanent for 400, 401, 403 and 404. No message contains the client secret, a code or a token.
/// </para>
/// </remarks>
public sealed class TrueLayerAuthClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of both TrueLayer clients' failures.</summary>
    public const string Upstream = "truelayer";

    /// <summary>Where a user starts connecting a bank again: the advice of every refusal that needs a new consent.</summary>
    public const string ConnectRoute = "GET /api/truelayer/connect";

    private const string TokenPath = "connect/token";

    private readonly TrueLayerOptions _options;
    private readonly Uri _authUrl;
    private readonly TimeProvider _time;
    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="TrueLayerServiceCollectionExtensions.AddTrueLayerClients"/>.</summary>
    public TrueLayerAuthClient(HttpClient http, IOptions<TrueLayerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _time = time;
        _authUrl = Root(_options.AuthUrl, "AuthUrl");
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "TrueLayer",
            "TrueLayer",
            TrueLayerOptions.Section,
            _authUrl,
            _options.Timeout,
            [_options.ClientSecret],
            Advice,
            $"The token request itself is wrong: check {TrueLayerOptions.Section}:ClientId, {TrueLayerOptions.Section}:RedirectUri and {TrueLayerOptions.Section}:Scopes; retrying will not help.",
            (shown, why, inner) => TrueLayerReply.Malformed($"POST {shown}", why, inner),
            UrlSetting: "AuthUrl"));
    }

    /// <summary>
    /// The auth dialog's URL for a new connection:
    /// <c>{AuthUrl}?response_type=code&amp;client_id&amp;redirect_uri&amp;scope&amp;state[&amp;providers]</c>, every value
    /// URL-encoded. TrueLayer sends the user back to <see cref="TrueLayerOptions.RedirectUri"/> with <c>code</c> and
    /// <paramref name="state"/>.
    /// </summary>
    /// <param name="state">The caller's value that ties the callback to this request (and guards against forged callbacks).</param>
    public Uri AuthorizationUrl(string state)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        var query = new StringBuilder("?response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(_options.ClientId ?? string.Empty))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(_options.RedirectUri?.OriginalString ?? string.Empty))
            .Append("&scope=").Append(Uri.EscapeDataString(_options.Scopes))
            .Append("&state=").Append(Uri.EscapeDataString(state));
        if (!string.IsNullOrWhiteSpace(_options.Providers))
        {
            query.Append("&providers=").Append(Uri.EscapeDataString(_options.Providers.Trim()));
        }

        return new Uri(_authUrl.AbsoluteUri + query);
    }

    /// <summary>Exchanges the <paramref name="code"/> the auth dialog returned for the connection's first tokens.</summary>
    /// <exception cref="UpstreamException">
    /// The call failed; <c>invalid_grant</c> (permanent) when the code expired, was used already or was issued for
    /// another redirect URI.
    /// </exception>
    public Task<TrueLayerTokens> ExchangeCodeAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        return TokenAsync(
            [
                new("grant_type", "authorization_code"),
                new("client_id", _options.ClientId ?? string.Empty),
                new("client_secret", _options.ClientSecret ?? string.Empty),
                new("redirect_uri", _options.RedirectUri?.OriginalString ?? string.Empty),
                new("code", code),
            ],
            code,
            refusal => refusal.Code == "invalid_grant"
                ? Refused(
                    refusal,
                    $"TrueLayer refused the authorization code (invalid_grant): it has expired, was used already or was issued for another redirect URI ({TrueLayerOptions.Section}:RedirectUri); "
                    + $"connect the bank again through {ConnectRoute}.")
                : null,
            cancellationToken);
    }

    /// <summary>
    /// The connection's next tokens for its <paramref name="refreshToken"/>. TrueLayer rotates the refresh token:
    /// store the returned one, the given one is spent.
    /// </summary>
    /// <exception cref="UpstreamException">
    /// The call failed; <c>invalid_grant</c> (permanent) when the consent expired or was revoked, or the token was
    /// spent: the user must reconnect the bank.
    /// </exception>
    public Task<TrueLayerTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        return TokenAsync(
            [
                new("grant_type", "refresh_token"),
                new("client_id", _options.ClientId ?? string.Empty),
                new("client_secret", _options.ClientSecret ?? string.Empty),
                new("refresh_token", refreshToken),
            ],
            refreshToken,
            refusal => refusal.Code == "invalid_grant"
                ? Refused(
                    refusal,
                    "TrueLayer refused the connection's refresh token (invalid_grant): the bank consent has expired or been revoked; "
                    + $"reconnect the bank through {ConnectRoute}.")
                : null,
            cancellationToken);
    }

    /// <summary>The root a relative path resolves under: the setting with a trailing slash.</summary>
    internal static Uri Root(Uri? url, string setting)
    {
        if (url is not { IsAbsoluteUri: true })
        {
            throw new OptionsValidationException(
                TrueLayerOptions.Section,
                typeof(TrueLayerOptions),
                [$"{TrueLayerOptions.Section}:{setting} must be an absolute http or https URL; was '{url?.OriginalString}'."]);
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>A refusal TrueLayer explained with its error code, in our sentence.</summary>
    internal static UpstreamException Refused(UpstreamRefusal refusal, string message, bool? isTransient = null) => new(
        Upstream,
        message,
        refusal.Status,
        isTransient ?? UpstreamException.IsTransientStatus(refusal.Status),
        refusal.Code,
        refusal.RetryAfter);

    private async Task<TrueLayerTokens> TokenAsync(
        IReadOnlyList<KeyValuePair<string, string>> form, string grant, Func<UpstreamRefusal, UpstreamException?> explain, CancellationToken cancellationToken)
    {
        var call = $"POST {TokenPath}";
        var root = await _upstream.SendAsync(
            new UpstreamRequest(HttpMethod.Post, TokenPath, TokenPath)
            {
                Headers = headers => headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")),
                Form = form,
                Secrets = [grant],
                Explain = refusal => explain(refusal) ?? (refusal.Code == "invalid_client"
                    ? Refused(
                        refusal,
                        $"TrueLayer refused the client credentials (invalid_client): check {TrueLayerOptions.Section}:ClientId and {TrueLayerOptions.Section}:ClientSecret; retrying will not help.")
                    : null),
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                return document.RootElement.Clone();
            },
            cancellationToken);
        var now = _time.GetUtcNow();

        var reply = new TrueLayerReply(call);
        reply.Object(root);
        var accessToken = reply.RequiredString(root, "access_token", "the reply");
        var refreshToken = reply.RequiredString(root, "refresh_token", "the reply");
        if (!root.TryGetProperty("expires_in", out var expiresIn) || expiresIn.ValueKind != JsonValueKind.Number || !expiresIn.TryGetInt32(out var seconds) || seconds <= 0)
        {
            throw reply.Fail("expires_in is missing or not a whole number of seconds above 0");
        }

        return new TrueLayerTokens(accessToken, refreshToken, now.AddSeconds(seconds), reply.OptionalString(root, "scope", "the reply"));
    }

    /// <summary>The advice for refusals without an error code TrueLayer explains; the rest is <see cref="UpstreamCall"/>'s.</summary>
    private static string? Advice(int status) => status switch
    {
        401 or 403 => $"Check {TrueLayerOptions.Section}:ClientId and {TrueLayerOptions.Section}:ClientSecret; retrying will not help.",
        404 => $"Check that {TrueLayerOptions.Section}:AuthUrl is the auth host root (such as http://127.0.0.1:5090/truelayer/auth/); retrying will not help.",
        _ => null,
    };

    internal static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
