using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.TrueLayer;

/// <summary>
/// TrueLayer's Data API v1 for one connection at a time (its access token is passed per call): the consent, the
/// accounts and cards, and their booked and pending transactions. Register it with
/// <see cref="TrueLayerServiceCollectionExtensions.AddTrueLayerClients"/>.
/// </summary>
/// <remarks>
/// <para>
/// One attempt per call, bounded by <see cref="TrueLayerOptions.Timeout"/>, and no retry: the job runtime and the
/// callers retry, back off and honour Retry-After (TrueLayer's <c>provider_too_many_requests</c> is the bank's limit).
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>, with TrueLayer's
/// <see cref="UpstreamException.ErrorCode"/>): transient for 408, 429, 5xx, timeouts, dropped connections and
/// malformed replies (a body without the <c>results</c> envelope included); permanent for 400, 401
/// (<c>invalid_token</c>: refresh the tokens), 403 (<c>sca_exceeded</c>, <c>access_denied</c>), 404 and 501
/// <c>endpoint_not_supported</c> (the bank does not offer that data: asking again will not change it). No message
/// contains the access token or the client secret.
/// </para>
/// </remarks>
public sealed class TrueLayerDataClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures, the same as the auth client's.</summary>
    public const string Upstream = TrueLayerAuthClient.Upstream;

    private const string EndpointNotSupported = "endpoint_not_supported";

    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="TrueLayerServiceCollectionExtensions.AddTrueLayerClients"/>.</summary>
    public TrueLayerDataClient(HttpClient http, IOptions<TrueLayerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var settings = options.Value;
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "TrueLayer",
            "TrueLayer",
            TrueLayerOptions.Section,
            new Uri(TrueLayerAuthClient.Root(settings.DataUrl, "DataUrl"), "data/v1/"),
            settings.Timeout,
            [settings.ClientSecret],
            Advice,
            "The request itself is wrong (its account or date range); fix it, retrying will not help.",
            (shown, why, inner) => TrueLayerReply.Malformed($"GET {shown}", why, inner),
            UrlSetting: "DataUrl"));
    }

    /// <summary>The connection's bank and consent (<c>GET /data/v1/me</c>).</summary>
    /// <exception cref="UpstreamException">The call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<TrueLayerConsent> GetConsentAsync(string accessToken, CancellationToken ct)
    {
        const string call = "me";
        var (reply, results) = await GetResultsAsync(accessToken, call, call, ct);
        if (!results.MoveNext())
        {
            throw reply.Fail("its results array is empty");
        }

        var me = results.Current;
        if (me.ValueKind != JsonValueKind.Object)
        {
            throw reply.Fail("results[0] is not an object");
        }

        var provider = reply.OptionalObject(me, "provider", "results[0]") ?? throw reply.Fail("results[0].provider is missing");
        var providerId = reply.RequiredString(provider, "provider_id", "results[0].provider");
        return new TrueLayerConsent(
            reply.OptionalString(me, "credentials_id", "results[0]"),
            providerId,
            reply.OptionalString(provider, "display_name", "results[0].provider") is { Length: > 0 } name ? name : providerId,
            reply.OptionalTimestamp(me, "consent_expires_at", "results[0]"));
    }

    /// <summary>
    /// The connection's accounts (<c>GET /data/v1/accounts</c>) followed by its cards (<c>/cards</c>). A bank that
    /// offers no cards (501 <c>endpoint_not_supported</c> for <c>/cards</c>) has none, which is not a failure.
    /// </summary>
    /// <exception cref="UpstreamException">A call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<IReadOnlyList<TrueLayerAccount>> GetAccountsAsync(string accessToken, CancellationToken ct)
    {
        var found = new List<TrueLayerAccount>();
        var (accounts, accountResults) = await GetResultsAsync(accessToken, "accounts", "accounts", ct);
        found.AddRange(ReadAccounts(accounts, accountResults, TrueLayerAccountKind.Account));
        try
        {
            var (cards, cardResults) = await GetResultsAsync(accessToken, "cards", "cards", ct);
            found.AddRange(ReadAccounts(cards, cardResults, TrueLayerAccountKind.Card));
        }
        catch (UpstreamException exception) when (exception.ErrorCode == EndpointNotSupported)
        {
            // The bank offers no cards through TrueLayer: the connection has none.
        }

        return found;
    }

    /// <summary>
    /// The booked transactions of an account or card from <paramref name="from"/> to <paramref name="to"/>
    /// (inclusive days), in one call.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is empty, or <paramref name="from"/> is after <paramref name="to"/>.</exception>
    /// <exception cref="UpstreamException">
    /// The call failed; <c>sca_exceeded</c> (permanent) when the range reaches further back than 90 days outside the
    /// 5 minutes after the user authenticated with the bank.
    /// </exception>
    public Task<IReadOnlyList<TrueLayerTransaction>> GetTransactionsAsync(
        string accessToken, TrueLayerAccountKind kind, string accountId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        if (from > to)
        {
            throw new ArgumentException($"from ({Format(from)}) must not be after to ({Format(to)}).", nameof(from));
        }

        var call = $"{Collection(kind)}/{Uri.EscapeDataString(accountId)}/transactions?from={Format(from)}&to={Format(to)}";
        return GetTransactionsAsync(accessToken, call, ct);
    }

    /// <summary>
    /// The pending transactions of an account or card, in one call. A bank that offers none through TrueLayer (501
    /// <c>endpoint_not_supported</c>) has none pending, which is not a failure.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is empty.</exception>
    /// <exception cref="UpstreamException">The call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<IReadOnlyList<TrueLayerTransaction>> GetPendingTransactionsAsync(
        string accessToken, TrueLayerAccountKind kind, string accountId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        try
        {
            return await GetTransactionsAsync(accessToken, $"{Collection(kind)}/{Uri.EscapeDataString(accountId)}/transactions/pending", ct);
        }
        catch (UpstreamException exception) when (exception.ErrorCode == EndpointNotSupported)
        {
            return [];
        }
    }

    private async Task<IReadOnlyList<TrueLayerTransaction>> GetTransactionsAsync(string accessToken, string call, CancellationToken ct)
    {
        var (reply, results) = await GetResultsAsync(accessToken, call, call, ct);
        var transactions = new List<TrueLayerTransaction>();
        foreach (var item in results)
        {
            var where = $"results[{transactions.Count.ToString(CultureInfo.InvariantCulture)}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw reply.Fail($"{where} is not an object");
            }

            var balance = reply.OptionalObject(item, "running_balance", where);
            transactions.Add(new TrueLayerTransaction(
                reply.RequiredString(item, "transaction_id", where),
                reply.OptionalString(item, "normalised_provider_transaction_id", where),
                reply.OptionalString(item, "provider_transaction_id", where),
                reply.RequiredTimestamp(item, "timestamp", where),
                reply.OptionalString(item, "description", where) ?? string.Empty,
                reply.RequiredDecimal(item, "amount", where),
                reply.RequiredString(item, "currency", where),
                reply.RequiredString(item, "transaction_type", where),
                reply.OptionalString(item, "transaction_category", where),
                reply.Strings(item, "transaction_classification", where),
                reply.OptionalString(item, "merchant_name", where),
                balance is { } runningAmount ? reply.OptionalDecimal(runningAmount, "amount", $"{where}.running_balance") : null,
                balance is { } runningCurrency ? reply.OptionalString(runningCurrency, "currency", $"{where}.running_balance") : null,
                item.GetRawText()));
        }

        return transactions;
    }

    private static List<TrueLayerAccount> ReadAccounts(TrueLayerReply reply, JsonElement.ArrayEnumerator results, TrueLayerAccountKind kind)
    {
        var accounts = new List<TrueLayerAccount>();
        foreach (var item in results)
        {
            var where = $"results[{accounts.Count.ToString(CultureInfo.InvariantCulture)}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw reply.Fail($"{where} is not an object");
            }

            var id = reply.RequiredString(item, "account_id", where);
            var provider = reply.OptionalObject(item, "provider", where);
            accounts.Add(new TrueLayerAccount(
                id,
                kind,
                reply.RequiredString(item, kind == TrueLayerAccountKind.Card ? "card_type" : "account_type", where),
                reply.RequiredString(item, "currency", where),
                reply.OptionalString(item, "display_name", where) is { Length: > 0 } name ? name : id,
                provider is { } bank ? reply.OptionalString(bank, "provider_id", $"{where}.provider") : null,
                reply.OptionalTimestamp(item, "update_timestamp", where)));
        }

        return accounts;
    }

    /// <summary>
    /// One GET with the connection's bearer token (<see cref="UpstreamCall"/>: every failure an
    /// <see cref="UpstreamException"/>, the token masked) and the <c>results</c> of its envelope.
    /// </summary>
    private async Task<(TrueLayerReply Reply, JsonElement.ArrayEnumerator Results)> GetResultsAsync(
        string accessToken, string shown, string pathAndQuery, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var root = await _upstream.SendAsync(
            new UpstreamRequest(HttpMethod.Get, shown, pathAndQuery)
            {
                Headers = headers =>
                {
                    headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                    headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                },
                Secrets = [accessToken],
                Explain = Explain,
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);

                // A clone owns its memory, so the results outlive the document without a Dispose for callers to forget.
                return document.RootElement.Clone();
            },
            ct);
        var reply = new TrueLayerReply($"GET {shown}");
        return (reply, reply.Results(root));
    }

    /// <summary>Our sentence for the refusals TrueLayer names with an error code that needs more than the shared advice.</summary>
    private static UpstreamException? Explain(UpstreamRefusal refusal) => refusal.Code switch
    {
        "invalid_token" => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused the access token of {refusal.Call} (invalid_token): it has expired or been revoked; refresh the connection's tokens and call again with the new access token; "
            + $"if the refresh is refused as well, reconnect the bank through {TrueLayerAuthClient.ConnectRoute}."),
        "sca_exceeded" => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused {refusal.Call} (sca_exceeded): history older than 90 days needs the user to re-authenticate with the bank (SCA); "
            + "reconnect the bank, then import that range within 5 minutes."),
        "access_denied" => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused {refusal.Call} (access_denied): the bank consent does not cover this data or has been revoked; "
            + $"reconnect the bank through {TrueLayerAuthClient.ConnectRoute}, granting the scopes of {TrueLayerOptions.Section}:Scopes."),
        "account_not_found" => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused {refusal.Call} (account_not_found): the bank no longer lists this account; list the connection's accounts again and stop importing this one."),
        "provider_too_many_requests" => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused {refusal.Call} (provider_too_many_requests): the bank is rate limiting this connection; "
            + (refusal.RetryAfter is { } wait ? $"wait {TrueLayerAuthClient.Seconds(wait)} s (Retry-After) before calling again." : "slow down before calling again.")),
        EndpointNotSupported => TrueLayerAuthClient.Refused(
            refusal,
            $"TrueLayer refused {refusal.Call} ({EndpointNotSupported}): the bank does not offer this data through TrueLayer; retrying will not help.",
            isTransient: false),
        _ => null,
    };

    /// <summary>The advice for refusals without an error code TrueLayer explains; the rest is <see cref="UpstreamCall"/>'s.</summary>
    private static string? Advice(int status) => status switch
    {
        401 => $"The access token was refused: refresh the connection's tokens and call again; if the refresh is refused as well, reconnect the bank through {TrueLayerAuthClient.ConnectRoute}.",
        403 => $"The bank consent does not allow this call: reconnect the bank through {TrueLayerAuthClient.ConnectRoute}; retrying will not help.",
        404 => $"Check that {TrueLayerOptions.Section}:DataUrl is the data host root (such as http://127.0.0.1:5090/truelayer/api/); retrying will not help.",
        _ => null,
    };

    private static string Collection(TrueLayerAccountKind kind) => kind switch
    {
        TrueLayerAccountKind.Account => "accounts",
        TrueLayerAccountKind.Card => "cards",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An account kind is Account or Card."),
    };

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
