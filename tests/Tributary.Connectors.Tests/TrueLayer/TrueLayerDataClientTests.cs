using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tributary.Connectors.TrueLayer;
using Sim = Tributary.Simulators.TrueLayer;

namespace Tributary.Connectors.Tests.TrueLayer;

/// <summary>
/// The Data API over loopback: accounts and cards, transactions parsed field by field against what the simulator
/// serves, and every refusal an <see cref="UpstreamException"/> with TrueLayer's error code and our advice.
/// </summary>
public sealed class TrueLayerDataClientTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task AccountsAreListedBeforeCardsWithTheirTypes()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids) = await ConnectAsync(simulator, accounts: 3, cards: 2);

        var accounts = await simulator.Data.GetAccountsAsync(token, CancellationToken.None);

        Assert.Equal(ids, accounts.Select(account => account.AccountId));
        Assert.Equal(
            [
                (TrueLayerAccountKind.Account, "TRANSACTION", "GBP", "Current Account 1", "mock"),
                (TrueLayerAccountKind.Account, "SAVINGS", "GBP", "Savings Account 2", "mock"),
                (TrueLayerAccountKind.Account, "TRANSACTION", "EUR", "Euro Account 3", "mock"),
                (TrueLayerAccountKind.Card, "CREDIT", "GBP", "Mock Credit Card 1", "mock"),
                (TrueLayerAccountKind.Card, "CREDIT", "GBP", "Mock Credit Card 2", "mock"),
            ],
            accounts.Select(account => (account.Kind, account.AccountType, account.Currency, account.DisplayName, account.ProviderId!)));
        Assert.All(accounts, account => Assert.NotNull(account.UpdatedAt));
    }

    [Fact]
    public async Task ABankWithoutCardsEndpointHasNoCards()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync(null, Answer("/truelayer/api/data/v1/cards", 501, """{"error":"endpoint_not_supported","error_description":"Cards are not supported by this provider."}"""));
        var (token, ids) = await ConnectAsync(simulator, accounts: 2, cards: 1);

        var accounts = await simulator.Data.GetAccountsAsync(token, CancellationToken.None);

        Assert.Equal(ids[..2], accounts.Select(account => account.AccountId));
        Assert.All(accounts, account => Assert.Equal(TrueLayerAccountKind.Account, account.Kind));
    }

    [Fact]
    public async Task ABankWithoutThePendingEndpointHasNonePending()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync(null, Answer("/transactions/pending", 501, """{"error":"endpoint_not_supported","error_description":"Pending transactions are not supported."}"""));
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 0);

        var pending = await simulator.Data.GetPendingTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], CancellationToken.None);

        Assert.Empty(pending);
    }

    [Fact]
    public async Task TransactionsWithinFromAndToAreParsedFieldByField()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 1, transactionsPerAccount: 1000);
        var from = Today.AddDays(-60);
        var to = Today.AddDays(-30);

        foreach (var (id, kind) in new[] { (ids[0], TrueLayerAccountKind.Account), (ids[1], TrueLayerAccountKind.Card) })
        {
            var transactions = await simulator.Data.GetTransactionsAsync(token, kind, id, from, to, CancellationToken.None);

            var expected = Sim.TransactionLedger.Settled(simulator.Account(id), Start(from), Start(to.AddDays(1)).AddTicks(-1));
            Assert.Equal(85, expected.Count);
            AssertTransactions(expected, transactions);
        }
    }

    [Fact]
    public async Task TheDedupKeyPrefersTheNormalisedIdThenTheProvidersThenTheTransactionId()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 0, transactionsPerAccount: 1000);

        // A year back reaches past 90 days: fine within 5 minutes of the consent (the SCA window).
        var transactions = await simulator.Data.GetTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], Today.AddDays(-365), Today, CancellationToken.None);

        Assert.Equal(1000, transactions.Count);
        var byRule = transactions.GroupBy(transaction =>
            transaction.NormalisedProviderTransactionId is not null ? "normalised"
            : transaction.ProviderTransactionId is not null ? "provider"
            : "transaction").ToDictionary(group => group.Key, group => group.ToList());
        Assert.Equal(["normalised", "provider", "transaction"], byRule.Keys.Order());
        Assert.All(byRule["normalised"], transaction => Assert.Equal(transaction.NormalisedProviderTransactionId, transaction.DedupKey));
        Assert.All(byRule["provider"], transaction => Assert.Equal(transaction.ProviderTransactionId, transaction.DedupKey));
        Assert.All(byRule["transaction"], transaction => Assert.Equal(transaction.TransactionId, transaction.DedupKey));
        Assert.Equal(1000, transactions.Select(transaction => transaction.DedupKey).Distinct().Count());
    }

    [Fact]
    public async Task PendingTransactionsHaveNoRunningBalanceAndKeepTheirDedupKeyWhenSettled()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 1, pendingPerAccount: 3);

        var pending = await simulator.Data.GetPendingTransactionsAsync(token, TrueLayerAccountKind.Card, ids[1], CancellationToken.None);
        AssertTransactions(Sim.TransactionLedger.Pending(simulator.Account(ids[1])), pending);
        await simulator.PostAdminAsync($"/_admin/truelayer/accounts/{ids[1]}/settle");
        var settled = await simulator.Data.GetTransactionsAsync(token, TrueLayerAccountKind.Card, ids[1], Today, Today, CancellationToken.None);
        var stillPending = await simulator.Data.GetPendingTransactionsAsync(token, TrueLayerAccountKind.Card, ids[1], CancellationToken.None);

        Assert.Equal(3, pending.Count);
        Assert.All(pending, transaction => Assert.Equal(((decimal?)null, (string?)null), (transaction.RunningBalance, transaction.RunningBalanceCurrency)));
        Assert.Equal(pending.Select(transaction => transaction.DedupKey), settled.Select(transaction => transaction.DedupKey));
        Assert.Empty(pending.Select(transaction => transaction.TransactionId).Intersect(settled.Select(transaction => transaction.TransactionId)));
        Assert.Empty(stillPending);
    }

    [Fact]
    public async Task TooManyRequestsIsTransientWithTheRetryAfterAndTheProvidersCode()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 0);
        await simulator.AddFaultAsync(new { route = "truelayer.transactions", kind = "429", count = 1, retryAfterSeconds = 7 });
        var call = $"accounts/{ids[0]}/transactions?from={Day(Today.AddDays(-7))}&to={Day(Today)}";

        var failure = await Assert.ThrowsAsync<UpstreamException>(() =>
            simulator.Data.GetTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], Today.AddDays(-7), Today, CancellationToken.None));

        Assert.Equal(
            ("truelayer", (int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7), "provider_too_many_requests"),
            (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            $"TrueLayer refused GET {call} (provider_too_many_requests): the bank is rate limiting this connection; wait 7 s (Retry-After) before calling again.",
            failure.Message);
        TrueLayerAuthClientTests.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task HistoryOlderThanNinetyDaysOutsideTheScaWindowIsPermanentScaExceeded()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, ids, credentialsId) = await ConnectWithIdAsync(simulator, accounts: 1, cards: 0);
        await simulator.PostAdminAsync($"/_admin/truelayer/consents/{credentialsId}/sca-expired");
        var from = Today.AddDays(-120);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() =>
            simulator.Data.GetTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], from, Today, CancellationToken.None));
        var recent = await simulator.Data.GetTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], Today.AddDays(-30), Today, CancellationToken.None);

        Assert.Equal(((int?)403, false, (TimeSpan?)null, "sca_exceeded"), (failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            $"TrueLayer refused GET accounts/{ids[0]}/transactions?from={Day(from)}&to={Day(Today)} (sca_exceeded): "
            + "history older than 90 days needs the user to re-authenticate with the bank (SCA); reconnect the bank, then import that range within 5 minutes.",
            failure.Message);
        Assert.Equal(16, recent.Count);
        TrueLayerAuthClientTests.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task AnUnknownAccessTokenIsPermanentInvalidTokenAndNeverQuoted()
    {
        const string token = "not-a-token-3f9a61c2";
        await using var simulator = await TrueLayerSimulator.StartAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Data.GetAccountsAsync(token, CancellationToken.None));

        Assert.Equal(((int?)401, false, "invalid_token"), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "TrueLayer refused the access token of GET accounts (invalid_token): it has expired or been revoked; refresh the connection's tokens and call again with the new access token; "
            + "if the refresh is refused as well, reconnect the bank through GET /api/truelayer/connect.",
            failure.Message);
        TrueLayerAuthClientTests.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task AnAccountOfAnotherConsentIsPermanentAccountNotFound()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, _) = await ConnectAsync(simulator, accounts: 1, cards: 0);
        var (_, others) = await ConnectAsync(simulator, accounts: 1, cards: 0);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() =>
            simulator.Data.GetPendingTransactionsAsync(token, TrueLayerAccountKind.Account, others[0], CancellationToken.None));

        Assert.Equal(((int?)404, false, "account_not_found"), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            $"TrueLayer refused GET accounts/{others[0]}/transactions/pending (account_not_found): the bank no longer lists this account; list the connection's accounts again and stop importing this one.",
            failure.Message);
    }

    [Fact]
    public async Task AReplyWithoutTheResultsEnvelopeIsMalformedAndTransient()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync(null, Answer("/transactions/pending", 200, """{"status":"Succeeded"}"""));
        var (token, ids) = await ConnectAsync(simulator, accounts: 1, cards: 0);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() =>
            simulator.Data.GetPendingTransactionsAsync(token, TrueLayerAccountKind.Account, ids[0], CancellationToken.None));

        Assert.Equal(((int?)200, true, (string?)null), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            $"TrueLayer answered GET accounts/{ids[0]}/transactions/pending with a malformed body (it has no results array). "
            + "This is usually a truncated reply: retry later; if it persists, TrueLayer's format has changed and this connector needs updating.",
            failure.Message);
    }

    [Fact]
    public async Task AServerErrorIsTransientWithTheProvidersReason()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (token, _) = await ConnectAsync(simulator, accounts: 1, cards: 0);
        await simulator.AddFaultAsync(new { route = "truelayer.me", kind = "5xx", count = 1, status = 503 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Data.GetConsentAsync(token, CancellationToken.None));

        Assert.Equal(((int?)503, true, "provider_error"), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "TrueLayer refused GET me with 503 Service Unavailable: The provider failed with status 503; try again later. "
            + "This is usually passing: retry later; if it persists, check TrueLayer's status.",
            failure.Message);
    }

    private static void AssertTransactions(IReadOnlyList<Sim.TransactionResult> expected, IReadOnlyList<TrueLayerTransaction> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], actual[i]);
            Assert.Equal(
                (want.TransactionId, want.NormalisedProviderTransactionId, want.ProviderTransactionId, want.Timestamp, want.Description, want.Amount, want.Currency,
                    want.TransactionType, (string?)want.TransactionCategory, want.MerchantName, want.RunningBalance?.Amount, want.RunningBalance?.Currency),
                (got.TransactionId, got.NormalisedProviderTransactionId, got.ProviderTransactionId, got.Timestamp, got.Description, got.Amount, got.Currency,
                    got.TransactionType, got.TransactionCategory, got.MerchantName, got.RunningBalance, got.RunningBalanceCurrency));
            Assert.Equal(want.TransactionClassification, got.TransactionClassification);
            Assert.Equal(JsonSerializer.Serialize(want, Sim.TrueLayerJsonContext.Default.TransactionResult), got.Raw);
        }
    }

    private static async Task<(string AccessToken, string[] AccountIds)> ConnectAsync(
        TrueLayerSimulator simulator, int accounts, int cards, int transactionsPerAccount = 200, int pendingPerAccount = 2)
    {
        var (token, ids, _) = await ConnectWithIdAsync(simulator, accounts, cards, transactionsPerAccount, pendingPerAccount);
        return (token, ids);
    }

    /// <summary>A consent made through the admin API, with a fresh access token from a refresh (the way imports get one).</summary>
    private static async Task<(string AccessToken, string[] AccountIds, string CredentialsId)> ConnectWithIdAsync(
        TrueLayerSimulator simulator, int accounts, int cards, int transactionsPerAccount = 200, int pendingPerAccount = 2)
    {
        var created = await simulator.CreateConsentAsync(new { accounts, cards, transactionsPerAccount, pendingPerAccount, historyDays = 365 });
        var tokens = await simulator.Auth.RefreshAsync(created.GetProperty("refresh_token").GetString()!, CancellationToken.None);
        var ids = created.GetProperty("accounts").EnumerateArray().Select(account => account.GetProperty("account_id").GetString()!).ToArray();
        return (tokens.AccessToken, ids, created.GetProperty("credentials_id").GetString()!);
    }

    /// <summary>Answers requests whose path ends with <paramref name="pathEnd"/> with <paramref name="body"/>, before the simulators.</summary>
    private static Func<HttpContext, Task<bool>> Answer(string pathEnd, int status, string body) => async context =>
    {
        if (!context.Request.Path.Value!.EndsWith(pathEnd, StringComparison.Ordinal))
        {
            return false;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
        return true;
    };

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
