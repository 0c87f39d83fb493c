using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Vestr;

/// <summary>
/// Vestr's fee deductions, a page at a time, over its GraphQL API (the <c>feeDeductions</c> query; the schema is an
/// assumption, see PROTOCOLS.md), with the bearer token of the process's <see cref="VestrSession"/>. Register it with
/// <see cref="VestrServiceCollectionExtensions.AddVestrClients"/>.
/// </summary>
/// <remarks>
/// <para>
/// One attempt per call, bounded by <see cref="VestrOptions.Timeout"/>; the one exception is a token Vestr no longer
/// accepts (<c>UNAUTHENTICATED</c>, or HTTP 401): the session logs in again and the query is sent once more, since that
/// is not a retry of a failure but the login it asks for.
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>, or <see cref="KeycloakLogin.Upstream"/>
/// when the login failed): transient with status 429 and <see cref="UpstreamException.RetryAfter"/> for
/// <c>RATE_LIMITED</c> and HTTP 429; transient for 5xx, timeouts, dropped connections and malformed replies; permanent
/// for other GraphQL errors (with Vestr's message) and a token refused even after a new login. No message contains a
/// token or a credential.
/// </para>
/// </remarks>
public sealed class VestrFeeClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures.</summary>
    public const string Upstream = "vestr";

    /// <summary>Vestr's GraphQL error code for a token it does not accept.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>Vestr's GraphQL error code for too many calls, sent with HTTP 200.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The most a page may ask for.</summary>
    public const int MaxFirst = VestrOptionsValidator.MaxPageSize;

    internal const string Query =
        "query FeeDeductions($from: Date!, $to: Date!, $cursor: String, $first: Int) { "
        + "feeDeductions(from: $from, to: $to, cursor: $cursor, first: $first) { "
        + "items { id bookingDate amount currency feeType productIsin productName outstandingQuantity } nextCursor hasMore } }";

    private const string Shown = "graphql feeDeductions";
    private const string Section = VestrOptions.Section;

    private readonly VestrSession _session;
    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="VestrServiceCollectionExtensions.AddVestrClients"/>.</summary>
    public VestrFeeClient(HttpClient http, IOptions<VestrOptions> options, VestrSession session, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(time);
        var settings = options.Value;
        _session = session;
        var url = settings.GraphQlUrl is { IsAbsoluteUri: true } graphQl
            ? graphQl
            : throw new OptionsValidationException(
                Section,
                typeof(VestrOptions),
                [$"{Section}:GraphQlUrl must be an absolute http or https URL; was '{settings.GraphQlUrl?.OriginalString}'."]);
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "Vestr",
            "Vestr",
            Section,
            url,
            settings.Timeout,
            [settings.Password, settings.TotpSecret],
            Advice,
            "The query itself is wrong (its dates or cursor); fix it, retrying will not help.",
            (shown, why, inner) => Malformed($"POST {shown}", why, inner),
            UrlSetting: "GraphQlUrl"));
    }

    /// <summary>
    /// The fee deductions booked from <paramref name="from"/> to <paramref name="to"/> (both included), at most
    /// <paramref name="first"/> of them after <paramref name="cursor"/> (null for the first page).
    /// </summary>
    /// <exception cref="UpstreamException">The call or the login failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<FeeDeductionPage> GetFeeDeductionsAsync(DateOnly from, DateOnly to, string? cursor, int first, CancellationToken ct)
    {
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxFirst);

        var token = await _session.AccessTokenAsync(ct);
        try
        {
            return await QueryAsync(token, from, to, cursor, first, ct);
        }
        catch (UpstreamException refused) when (refused.ErrorCode == Unauthenticated)
        {
            _session.Invalidate(token);
        }

        var fresh = await _session.AccessTokenAsync(ct);
        try
        {
            return await QueryAsync(fresh, from, to, cursor, first, ct);
        }
        catch (UpstreamException again) when (again.ErrorCode == Unauthenticated)
        {
            throw new UpstreamException(
                Upstream,
                "Vestr refused the access token of a new login too (UNAUTHENTICATED): "
                + $"check that {Section}:KeycloakUrl is the realm that issues Vestr's tokens for {Section}:GraphQlUrl, and that the Vestr user ({Section}:Username) may read fee deductions; "
                + "retrying will not help.",
                again.StatusCode,
                isTransient: false,
                Unauthenticated,
                inner: again);
        }
    }

    private async Task<FeeDeductionPage> QueryAsync(string token, DateOnly from, DateOnly to, string? cursor, int first, CancellationToken ct)
    {
        var root = await _upstream.SendAsync(
            new UpstreamRequest(HttpMethod.Post, Shown, string.Empty)
            {
                Headers = headers =>
                {
                    headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                },
                Body = () => JsonContent.Create(new
                {
                    query = Query,
                    variables = new
                    {
                        from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        cursor,
                        first,
                    },
                }),
                Secrets = [token],
                Explain = refusal => refusal.Status switch
                {
                    401 => new UpstreamException(
                        Upstream,
                        $"Vestr refused {refusal.Call} with {refusal.Reply} Log in again.",
                        refusal.Status,
                        isTransient: false,
                        Unauthenticated),
                    429 => new UpstreamException(
                        Upstream,
                        $"Vestr refused {refusal.Call} with 429 Too Many Requests. "
                        + (refusal.RetryAfter is { } after
                            ? $"Vestr is rate limiting this client: wait {after.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Retry-After) before calling again."
                            : "Vestr is rate limiting this client: slow down before calling again."),
                        refusal.Status,
                        isTransient: true,
                        RateLimited,
                        refusal.RetryAfter),
                    _ => null,
                },
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                return document.RootElement.Clone();
            },
            ct);

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Fail("the body is not a JSON object");
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            throw GraphQlError(errors[0], token);
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("feeDeductions", out var page) || page.ValueKind != JsonValueKind.Object)
        {
            throw Fail("it has no data.feeDeductions object");
        }

        if (!page.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw Fail("data.feeDeductions.items is missing or not an array");
        }

        var deductions = new List<FeeDeduction>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            deductions.Add(Deduction(item, $"data.feeDeductions.items[{deductions.Count}]"));
        }

        var hasMore = page.TryGetProperty("hasMore", out var more) && more.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? more.GetBoolean()
            : throw Fail("data.feeDeductions.hasMore is missing or not a boolean");
        var nextCursor = OptionalString(page, "nextCursor", "data.feeDeductions");
        if (hasMore && string.IsNullOrEmpty(nextCursor))
        {
            throw Fail("data.feeDeductions.hasMore is true but nextCursor is missing");
        }

        return new FeeDeductionPage(deductions, nextCursor, hasMore);
    }

    private static FeeDeduction Deduction(JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Fail($"{where} is not an object");
        }

        var bookingDate = RequiredString(item, "bookingDate", where);
        return new FeeDeduction(
            RequiredString(item, "id", where),
            DateOnly.TryParseExact(bookingDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw Fail($"{where}.bookingDate is not a date (yyyy-MM-dd)"),
            OptionalDecimal(item, "amount", where) ?? throw Fail($"{where}.amount is missing"),
            RequiredString(item, "currency", where),
            RequiredString(item, "feeType", where),
            RequiredString(item, "productIsin", where),
            OptionalString(item, "productName", where),
            OptionalDecimal(item, "outstandingQuantity", where));
    }

    /// <summary>A GraphQL error (HTTP 200) in our sentence: rate limiting is transient, a refused token asks for a login, the rest is permanent.</summary>
    private static UpstreamException GraphQlError(JsonElement error, string token)
    {
        var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String
            ? UpstreamReply.Redact(text.GetString() ?? string.Empty, [token]).Trim()
            : string.Empty;
        string? code = null;
        TimeSpan? retryAfter = null;
        if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object)
        {
            if (extensions.TryGetProperty("code", out var codeValue) && codeValue.ValueKind == JsonValueKind.String)
            {
                code = codeValue.GetString();
            }

            if (extensions.TryGetProperty("retryAfter", out var wait))
            {
                retryAfter = wait.ValueKind switch
                {
                    JsonValueKind.Number when wait.TryGetDouble(out var seconds) && seconds >= 0 => TimeSpan.FromSeconds(seconds),
                    JsonValueKind.String when double.TryParse(wait.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 => TimeSpan.FromSeconds(seconds),
                    _ => null,
                };
            }
        }

        var said = message.Length > 0 ? $": {message.TrimEnd('.')}" : string.Empty;
        return code switch
        {
            Unauthenticated => new UpstreamException(
                Upstream, $"Vestr refused the access token (UNAUTHENTICATED{said}). Log in again.", 200, isTransient: false, Unauthenticated),
            RateLimited => new UpstreamException(
                Upstream,
                $"Vestr refused POST {Shown} with RATE_LIMITED{said}. "
                + (retryAfter is { } after
                    ? $"Vestr is rate limiting this client: wait {after.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (retryAfter) before calling again."
                    : "Vestr is rate limiting this client: slow down before calling again."),
                429,
                isTransient: true,
                RateLimited,
                retryAfter),
            _ => new UpstreamException(
                Upstream,
                $"Vestr refused POST {Shown} with {code ?? "a GraphQL error"}{said}. The query or its arguments are wrong for Vestr's schema; retrying will not help, "
                + "this connector needs updating if Vestr changed its schema.",
                200,
                isTransient: false,
                code),
        };
    }

    private static string RequiredString(JsonElement item, string name, string where) =>
        OptionalString(item, name, where) is { Length: > 0 } value ? value : throw Fail($"{where}.{name} is missing or empty");

    private static string? OptionalString(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail($"{where}.{name} is not a string");
    }

    /// <summary>A GraphQL <c>Decimal</c>: a JSON number or a numeric string, read invariantly.</summary>
    private static decimal? OptionalDecimal(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Fail($"{where}.{name} is not a decimal number");
    }

    private static UpstreamException Fail(string why) => Malformed($"POST {Shown}", why, inner: null);

    /// <summary>The failure for a reply that is not the expected JSON: usually a truncated body, so transient.</summary>
    private static UpstreamException Malformed(string call, string why, Exception? inner) => new(
        Upstream,
        $"Vestr answered {call} with a malformed body ({why}). "
        + "This is usually a truncated reply: retry later; if it persists, Vestr's schema has changed and this connector needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    private static string? Advice(int status) => status switch
    {
        403 => $"The Vestr user ({Section}:Username) may not read fee deductions: ask Vestr for the permission; retrying will not help.",
        404 => $"Check that {Section}:GraphQlUrl is Vestr's GraphQL endpoint (such as http://127.0.0.1:5090/vestr/graphql); retrying will not help.",
        _ => null,
    };
}
