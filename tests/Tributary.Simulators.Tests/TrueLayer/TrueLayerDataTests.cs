using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>
/// The Data API: envelope, accounts and cards, deterministic transactions within from/to, bearer checks and
/// account_not_found. Consents here hold 100 transactions over 100 days: one a day at midnight UTC, 2026-08-17 to
/// 2026-11-24, before the creation day 2026-11-25.
/// </summary>
public sealed class TrueLayerDataTests
{
    private static readonly string[] TransactionTypes = ["DEBIT", "CREDIT"];
    private static readonly string[] RecognisableWords = ["TESCO", "AMAZON", "UBER", "SALARY", "RENT"];

    private static readonly object Shape = new { accounts = 2, cards = 1, transactionsPerAccount = 100, pendingPerAccount = 2, historyDays = 100 };

    [Theory]
    [InlineData("me")]
    [InlineData("accounts")]
    [InlineData("cards")]
    [InlineData("accounts/abc/transactions")]
    public async Task EveryDataRouteNeedsABearerToken(string path)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        using var missing = await simulator.GetAsync(path, accessToken: null);
        using var unknown = await simulator.GetAsync(path, accessToken: "not-a-token");

        Assert.Equal("invalid_token", (await TrueLayerInstance.ReadErrorAsync(missing, HttpStatusCode.Unauthorized)).Error);
        Assert.Equal("invalid_token", (await TrueLayerInstance.ReadErrorAsync(unknown, HttpStatusCode.Unauthorized)).Error);
    }

    [Fact]
    public async Task AccountsAndCardsAreListedInTheEnvelope()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(Shape);
        var token = consent.GetProperty("access_token").GetString()!;
        var ids = TrueLayerInstance.AccountIds(consent);

        var accounts = await simulator.GetResultsAsync("accounts", token);
        var cards = await simulator.GetResultsAsync("cards", token);
        var one = Assert.Single(await simulator.GetResultsAsync($"accounts/{ids[1]}", token));
        var balance = Assert.Single(await simulator.GetResultsAsync($"accounts/{ids[0]}/balance", token));
        var cardBalance = Assert.Single(await simulator.GetResultsAsync($"cards/{ids[2]}/balance", token));

        Assert.Equal(["account", "account", "card"], consent.GetProperty("accounts").EnumerateArray().Select(account => account.GetProperty("kind").GetString()));
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Take(2), TrueLayerInstance.Values(accounts, "account_id"));
        Assert.Equal(["TRANSACTION", "SAVINGS"], TrueLayerInstance.Values(accounts, "account_type").Select(value => value!));
        Assert.Equal(["GBP", "GBP"], TrueLayerInstance.Values(accounts, "currency").Select(value => value!));
        Assert.Equal(
            ["account_id", "account_type", "display_name", "currency", "account_number", "provider", "update_timestamp"],
            accounts[0].EnumerateObject().Select(property => property.Name));
        Assert.Equal(new string?[] { ids[2] }, TrueLayerInstance.Values(cards, "account_id"));
        Assert.Equal(("CREDIT", "VISA"), (cards[0].GetProperty("card_type").GetString(), cards[0].GetProperty("card_network").GetString()));
        Assert.Equal(accounts[1].GetRawText(), one.GetRawText());
        Assert.Equal(["currency", "available", "current", "update_timestamp"], balance.EnumerateObject().Select(property => property.Name));
        Assert.Equal("GBP", cardBalance.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task TransactionsAreDeterministicAndWithinFromAndTo()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(Shape);
        var token = consent.GetProperty("access_token").GetString()!;
        var id = TrueLayerInstance.AccountIds(consent)[0];

        var all = await simulator.GetResultsAsync($"accounts/{id}/transactions?from=2026-08-17&to=2026-11-25", token);
        var again = await simulator.GetResultsAsync($"accounts/{id}/transactions?from=2026-08-17T00:00:00Z&to=2026-11-25T23:59:59Z", token);
        var november = await simulator.GetResultsAsync($"accounts/{id}/transactions?from=2026-11-01&to=2026-11-10", token);
        var rfc3339 = await simulator.GetResultsAsync($"accounts/{id}/transactions?from=2026-11-01T00:00:01%2B00:00&to=2026-11-10T00:00:00Z", token);
        var defaultWindow = await simulator.GetResultsAsync($"accounts/{id}/transactions", token);
        var other = await simulator.GetResultsAsync($"accounts/{TrueLayerInstance.AccountIds(consent)[1]}/transactions?from=2026-08-17", token);

        Assert.Equal(100, all.Length);
        Assert.Equal(all.Select(transaction => transaction.GetRawText()), again.Select(transaction => transaction.GetRawText()));
        Assert.Equal(100, all.Select(transaction => transaction.GetProperty("transaction_id").GetString()).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(0, 100).Select(day => new DateTimeOffset(2026, 8, 17, 0, 0, 0, TimeSpan.Zero).AddDays(day)),
            all.Select(transaction => transaction.GetProperty("timestamp").GetDateTimeOffset()));
        Assert.Equal(all[76..86].Select(transaction => transaction.GetRawText()), november.Select(transaction => transaction.GetRawText()));
        Assert.Equal(all[77..86].Select(transaction => transaction.GetRawText()), rfc3339.Select(transaction => transaction.GetRawText()));

        // No from: the 90 days before now (2026-08-27T14:30Z onwards), 2026-08-28 to 2026-11-24.
        Assert.Equal(all[11..].Select(transaction => transaction.GetRawText()), defaultWindow.Select(transaction => transaction.GetRawText()));
        Assert.NotEqual(
            all.Select(transaction => transaction.GetProperty("transaction_id").GetString()),
            other.Select(transaction => transaction.GetProperty("transaction_id").GetString()));
    }

    [Fact]
    public async Task TransactionsCarryTheProtocolFieldsAndVaryTheDedupIds()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0, transactionsPerAccount = 2000, historyDays = 365 });
        var token = consent.GetProperty("access_token").GetString()!;

        var all = await simulator.GetResultsAsync($"accounts/{TrueLayerInstance.AccountIds(consent)[0]}/transactions?from=2025-11-01", token);

        Assert.Equal(2000, all.Length);
        bool Has(JsonElement transaction, string name) => transaction.TryGetProperty(name, out _);
        var both = all.Count(transaction => Has(transaction, "normalised_provider_transaction_id") && Has(transaction, "provider_transaction_id"));
        var providerOnly = all.Count(transaction => !Has(transaction, "normalised_provider_transaction_id") && Has(transaction, "provider_transaction_id"));
        var neither = all.Count(transaction => !Has(transaction, "normalised_provider_transaction_id") && !Has(transaction, "provider_transaction_id"));
        Assert.Equal(2000, both + providerOnly + neither);
        Assert.InRange(both, 1500, 1700);
        Assert.InRange(providerOnly, 200, 400);
        Assert.InRange(neither, 50, 150);
        Assert.All(all, transaction =>
        {
            Assert.Contains(transaction.GetProperty("transaction_type").GetString(), TransactionTypes);
            var amount = transaction.GetProperty("amount").GetDecimal();
            Assert.Equal(amount, decimal.Round(amount, 2));
            Assert.Equal(transaction.GetProperty("transaction_type").GetString() == "DEBIT", amount < 0);
            Assert.Equal("GBP", transaction.GetProperty("running_balance").GetProperty("currency").GetString());
            Assert.True(transaction.GetProperty("meta").TryGetProperty("provider_category", out _));
        });
        var descriptions = all.Select(transaction => transaction.GetProperty("description").GetString()!).ToList();
        Assert.All(RecognisableWords, word => Assert.Contains(descriptions, description => description.Contains(word, StringComparison.Ordinal)));
        Assert.Contains(all, transaction => !Has(transaction, "merchant_name"));
        Assert.Contains(all, transaction => transaction.GetProperty("transaction_classification").GetArrayLength() == 0);
        for (var i = 1; i < all.Length; i++)
        {
            Assert.Equal(
                all[i - 1].GetProperty("running_balance").GetProperty("amount").GetDecimal() + all[i].GetProperty("amount").GetDecimal(),
                all[i].GetProperty("running_balance").GetProperty("amount").GetDecimal());
        }
    }

    [Theory]
    [InlineData("from=2026-11-10&to=2026-11-01", 400, "invalid_date_range")]
    [InlineData("from=yesterday", 400, "validation_error")]
    [InlineData("to=2026-13-01", 400, "validation_error")]
    public async Task ABadDateRangeIsA400(string query, int status, string error)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(Shape);

        using var response = await simulator.GetAsync($"accounts/{TrueLayerInstance.AccountIds(consent)[0]}/transactions?{query}", consent.GetProperty("access_token").GetString());

        Assert.Equal(error, (await TrueLayerInstance.ReadErrorAsync(response, (HttpStatusCode)status)).Error);
    }

    [Theory]
    [InlineData("accounts/{0}")]
    [InlineData("accounts/{0}/balance")]
    [InlineData("accounts/{0}/transactions")]
    [InlineData("accounts/{0}/transactions/pending")]
    [InlineData("cards/{1}/transactions")]
    [InlineData("cards/{2}")]
    public async Task AnotherConsentsAccountIsAccountNotFound(string template)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var mine = await simulator.CreateConsentAsync(Shape);
        var theirs = await simulator.CreateConsentAsync(Shape);
        var theirIds = TrueLayerInstance.AccountIds(theirs);
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, theirIds[0], theirIds[2], TrueLayerInstance.AccountIds(mine)[0]);

        using var response = await simulator.GetAsync(path, mine.GetProperty("access_token").GetString());

        Assert.Equal("account_not_found", (await TrueLayerInstance.ReadErrorAsync(response, HttpStatusCode.NotFound)).Error);
        Assert.Empty(TrueLayerInstance.AccountIds(mine).Intersect(theirIds));
    }

    [Fact]
    public async Task AnUnknownTrueLayerPathIsEndpointNotSupported()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(Shape);

        using var response = await simulator.GetAsync("direct-debits", consent.GetProperty("access_token").GetString());

        Assert.Equal("endpoint_not_supported", (await TrueLayerInstance.ReadErrorAsync(response, HttpStatusCode.NotImplemented)).Error);
    }
}
