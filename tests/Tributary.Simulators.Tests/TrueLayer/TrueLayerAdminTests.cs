using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary><c>/_admin/truelayer</c>: consent validation, volumes, reset.</summary>
public sealed class TrueLayerAdminTests
{
    [Theory]
    [InlineData("""{"accounts":-1}""", "accounts", "accounts must be 0..100; was -1.")]
    [InlineData("""{"cards":101}""", "cards", "cards must be 0..100; was 101.")]
    [InlineData("""{"transactionsPerAccount":100001}""", "transactionsPerAccount", "transactionsPerAccount must be 0..100000; was 100001.")]
    [InlineData("""{"pendingPerAccount":-2}""", "pendingPerAccount", "pendingPerAccount must be 0..1000; was -2.")]
    [InlineData("""{"historyDays":0}""", "historyDays", "historyDays must be 1..3650; was 0.")]
    [InlineData("""{"accounts":0,"cards":0}""", "accounts", "accounts plus cards must be at least 1; both are 0.")]
    [InlineData("""{"accounts":"three"}""", "body", null)]
    public async Task AnInvalidConsentIsA400ProblemNamingTheField(string json, string field, string? message)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        using var response = await simulator.Http.PostAsync("/_admin/truelayer/consents", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        if (message is not null)
        {
            Assert.Equal(message, Assert.Single(error.Value.EnumerateArray()).GetString());
        }

        Assert.Equal(0, (await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/truelayer")).GetProperty("consents").GetInt32());
    }

    [Fact]
    public async Task AConsentWithoutABodyHasTheConfiguredDefaults()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        var consent = await simulator.CreateConsentAsync();
        var transactions = await simulator.GetResultsAsync(
            $"accounts/{TrueLayerInstance.AccountIds(consent)[0]}/transactions?from=2025-01-01",
            consent.GetProperty("access_token").GetString()!);

        Assert.Equal(["account", "account", "account", "card"], consent.GetProperty("accounts").EnumerateArray().Select(account => account.GetProperty("kind").GetString()));
        Assert.Equal((200, 2), (consent.GetProperty("transactions_per_account").GetInt32(), consent.GetProperty("pending_per_account").GetInt32()));
        Assert.Equal(200, transactions.Length);
        Assert.Equal(DateTimeOffset.Parse("2025-11-25T00:00:00Z"), transactions[0].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task FiftyAccountsOfTwoThousandTransactionsAreServedWhole()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var started = Stopwatch.GetTimestamp();
        var consent = await simulator.CreateConsentAsync(new { accounts = 50, cards = 0, transactionsPerAccount = 2000, historyDays = 365 });
        var token = consent.GetProperty("access_token").GetString()!;
        var ids = TrueLayerInstance.AccountIds(consent);

        var accounts = await simulator.GetResultsAsync("accounts", token);
        var counts = new List<int>();
        var transactionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var transactions = await simulator.GetResultsAsync($"accounts/{id}/transactions?from=2025-11-25", token);
            counts.Add(transactions.Length);
            transactionIds.UnionWith(TrueLayerInstance.Values(transactions, "transaction_id")!);
        }

        Assert.Equal(50, accounts.Length);
        Assert.Equal(50, ids.Distinct().Count());
        Assert.All(counts, count => Assert.Equal(2000, count));
        Assert.Equal(100_000, transactionIds.Count);
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ResetForgetsConsentsTokensAndCounts()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();
        await simulator.AccessTokenAsync(consent);

        var state = await simulator.AdminPostAsync("reset");
        using var refresh = await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = consent.GetProperty("refresh_token").GetString()! });
        using var me = await simulator.GetAsync("me", consent.GetProperty("access_token").GetString());
        var unknown = await simulator.AdminPostAsync($"consents/{consent.GetProperty("credentials_id").GetString()}/expire", HttpStatusCode.NotFound);

        Assert.Equal(
            """{"consents":0,"grants":{"authorization_code":0,"refresh_token":0},"refreshesByCredentials":{}}""",
            state.GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
    }
}
