using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.WealthX;

/// <summary>
/// Typed client of WealthX Connect's <c>alldossiers</c>: one page of dossiers per call, by 1-based inclusive index
/// range, optionally only those modified since a date. Register it with
/// <see cref="WealthXServiceCollectionExtensions.AddWealthXClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{WealthXOptions})"/>.
/// </summary>
/// <remarks>
/// <para>
/// This client makes exactly one attempt per call, bounded by <see cref="WealthXOptions.Timeout"/>, and never
/// retries. Retries with backoff, Retry-After pauses and the cluster-wide minimum interval between calls belong to
/// the job runtime and its shared rate limiter: retrying here as well would multiply attempts, put calls closer
/// together than WealthX's contract allows, and hide 429s from the limiter. For the same reason, do not add a
/// resilience handler to this client.
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>): transient for 408, 429,
/// 5xx, timeouts, dropped connections and malformed replies (so a truncated page is retried, and a page that keeps
/// failing fails the session without moving the index); permanent for 400 (with WealthX's reason), 401, 403 and
/// 404. Caller cancellation is an <see cref="OperationCanceledException"/>, as usual. No message contains the
/// username, password or API key.
/// </para>
/// </remarks>
public sealed class WealthXClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures.</summary>
    public const string Upstream = "wealthx";

    private readonly WealthXOptions _options;
    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="WealthXServiceCollectionExtensions.AddWealthXClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{WealthXOptions})"/>.</summary>
    /// <exception cref="OptionsValidationException">A <c>WealthX</c> setting is invalid.</exception>
    public WealthXClient(HttpClient http, IOptions<WealthXOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        var baseUrl = _options.BaseUrl ?? string.Empty;
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "WealthX",
            "WealthX",
            WealthXOptions.Section,
            new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute),
            _options.Timeout,
            [_options.Password, _options.ApiKey, _options.Username],
            Advice,
            "The request itself is wrong (its range or date); fix it, retrying will not help.",
            Malformed,
            RefuseUnread));
    }

    /// <summary>The dossiers at indexes <paramref name="fromIndex"/>..<paramref name="toIndex"/> (1-based, inclusive).</summary>
    /// <inheritdoc cref="GetPageAsync(int, int, DateOnly?, CancellationToken)"/>
    public Task<DossierPage> GetPageAsync(int fromIndex, int toIndex, CancellationToken cancellationToken) =>
        GetPageAsync(fromIndex, toIndex, lastModifiedFrom: null, cancellationToken);

    /// <summary>
    /// The dossiers at indexes <paramref name="fromIndex"/>..<paramref name="toIndex"/> (1-based, inclusive) of those
    /// modified on or after <paramref name="lastModifiedFrom"/> (all dossiers when null), in one call.
    /// </summary>
    /// <param name="fromIndex">The first index, 1 or more.</param>
    /// <param name="toIndex">The last index, inclusive; at most <see cref="WealthXOptions.ApiBatchSize"/> records from <paramref name="fromIndex"/>.</param>
    /// <param name="lastModifiedFrom">For incremental passes: only dossiers modified on or after this day; indexes then page over that subset.</param>
    /// <returns>The page; its <see cref="DossierPage.Dossiers"/> is empty past the end of the data.</returns>
    /// <exception cref="ArgumentException">The range is not 1-based and inclusive, or is wider than <see cref="WealthXOptions.ApiBatchSize"/>; no call is made.</exception>
    /// <exception cref="UpstreamException">The call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<DossierPage> GetPageAsync(int fromIndex, int toIndex, DateOnly? lastModifiedFrom, CancellationToken cancellationToken)
    {
        if (fromIndex < 1)
        {
            throw new ArgumentException($"fromIndex must be 1 or more (WealthX indexes are 1-based); was {fromIndex}.", nameof(fromIndex));
        }

        if (toIndex < fromIndex)
        {
            throw new ArgumentException($"toIndex must not be less than fromIndex (toIndex is inclusive); was fromIndex={fromIndex}, toIndex={toIndex}.", nameof(toIndex));
        }

        var requested = (long)toIndex - fromIndex + 1;
        if (requested > _options.ApiBatchSize)
        {
            throw new ArgumentException(
                $"fromIndex={fromIndex}..toIndex={toIndex} asks for {requested} records; at most {_options.ApiBatchSize} per call ({WealthXOptions.Section}:ApiBatchSize).",
                nameof(toIndex));
        }

        var call = $"alldossiers?fromIndex={fromIndex.ToString(CultureInfo.InvariantCulture)}&toIndex={toIndex.ToString(CultureInfo.InvariantCulture)}"
            + (lastModifiedFrom is { } since ? $"&lastModifiedFrom={since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : string.Empty);
        var root = await GetAsync(call, cancellationToken);
        return Read(root, call, fromIndex);
    }

    /// <summary>
    /// Asks for one record more than <see cref="WealthXOptions.ApiBatchSize"/> (indexes 1..ApiBatchSize + 1), to learn
    /// whether WealthX enforces the per-call limit; the reply's dossiers are read and dropped. Only the connection check
    /// calls this: every other caller stays within the limit, which <see cref="GetPageAsync(int, int, DateOnly?, CancellationToken)"/> refuses to pass.
    /// </summary>
    /// <returns>True when WealthX refused the range with a 400; false when it answered it.</returns>
    /// <exception cref="UpstreamException">Any other failure.</exception>
    public async Task<bool> RefusesOneRecordOverTheLimitAsync(CancellationToken cancellationToken)
    {
        var to = (long)_options.ApiBatchSize + 1;
        var call = $"alldossiers?fromIndex=1&toIndex={to.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            Read(await GetAsync(call, cancellationToken), call, 1);
            return false;
        }
        catch (UpstreamException exception) when (exception.StatusCode == 400)
        {
            return true;
        }
    }

    /// <summary>One attempt at one call (<see cref="UpstreamCall"/>), with every failure turned into an <see cref="UpstreamException"/>; the reply's root JSON.</summary>
    private Task<JsonElement> GetAsync(string call, CancellationToken cancellationToken) =>
        _upstream.GetAsync(
            call,
            call,
            headers =>
            {
                headers.TryAddWithoutValidation("username", _options.Username);
                headers.TryAddWithoutValidation("password", _options.Password);
                if (!string.IsNullOrEmpty(_options.ApiKey))
                {
                    headers.TryAddWithoutValidation("apikey", _options.ApiKey);
                }

                headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);

                // A clone owns its memory, so the page outlives the document without a Dispose for callers to forget.
                return document.RootElement.Clone();
            },
            cancellationToken);

    /// <summary>The page in a reply; a reply without the shape <see cref="DossierPage"/> describes is malformed.</summary>
    private static DossierPage Read(JsonElement root, string call, int fromIndex)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(call, $"the body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object", inner: null);
        }

        if (!root.TryGetProperty("dossiers", out var dossiers) || dossiers.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(call, "it has no dossiers array", inner: null);
        }

        if (!root.TryGetProperty("totalDossiers", out var totalValue) || !TryGetWholeNumber(totalValue, out var total) || total < 0)
        {
            throw Malformed(call, "totalDossiers is missing or not a whole number of 0 or more", inner: null);
        }

        var page = new List<JsonElement>(dossiers.GetArrayLength());
        foreach (var dossier in dossiers.EnumerateArray())
        {
            if (dossier.ValueKind != JsonValueKind.Object
                || !dossier.TryGetProperty("ID", out var id)
                || id.ValueKind != JsonValueKind.Number)
            {
                throw Malformed(call, $"dossiers[{page.Count}] is not an object with a numeric ID", inner: null);
            }

            page.Add(dossier);
        }

        int lastIndexId;
        if (!root.TryGetProperty("lastIndexId", out var lastValue) || lastValue.ValueKind == JsonValueKind.Null)
        {
            lastIndexId = fromIndex - 1 + page.Count;
        }
        else if (!TryGetWholeNumber(lastValue, out lastIndexId))
        {
            throw Malformed(call, "lastIndexId is not a whole number", inner: null);
        }

        return new DossierPage(total, lastIndexId, page);
    }

    /// <summary>An int from a JSON number; false for any other kind (TryGetInt32 throws on those).</summary>
    private static bool TryGetWholeNumber(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number);
    }

    private static UpstreamException Malformed(string call, string why, Exception? inner) => new(
        Upstream,
        $"WealthX answered GET {call} with a malformed body, not the expected dossier page ({why}). "
        + "This is usually a truncated reply: retry later; if it persists, WealthX's format has changed and this connector needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    /// <summary>WealthX's 401 is an empty body, and the values are secrets: name the settings, never what they hold.</summary>
    private static UpstreamException? RefuseUnread(int status) => status == 401
        ? new UpstreamException(
            Upstream,
            $"WealthX: credentials rejected (401). Check {WealthXOptions.Section}:Username, {WealthXOptions.Section}:Password and {WealthXOptions.Section}:ApiKey.",
            status,
            isTransient: false)
        : null;

    /// <summary>The advice for the refusals WealthX explains itself; the rest is <see cref="UpstreamCall"/>'s.</summary>
    private static string? Advice(int status) => status switch
    {
        403 => $"The account may not read this data: check {WealthXOptions.Section}:Username and {WealthXOptions.Section}:ApiKey with WealthX; retrying will not help.",
        404 => $"Check that {WealthXOptions.Section}:BaseUrl is the API root (such as http://127.0.0.1:5090/wealthx/rest/v1/); retrying will not help.",
        _ => null,
    };
}
