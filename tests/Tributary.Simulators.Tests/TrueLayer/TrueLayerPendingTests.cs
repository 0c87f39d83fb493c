using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>Pending transactions, and settling them: a new transaction_id, the same normalised and provider ids.</summary>
public sealed class TrueLayerPendingTests
{
    [Fact]
    public async Task SettlingKeepsTheNormalisedIdAndChangesTheTransactionId()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(new { accounts = 2, cards = 0, transactionsPerAccount = 100, pendingPerAccount = 2, historyDays = 100 });
        var token = consent.GetProperty("access_token").GetString()!;
        var ids = TrueLayerInstance.AccountIds(consent);

        var pending = await simulator.GetResultsAsync($"accounts/{ids[0]}/transactions/pending", token);
        var balanceBefore = Assert.Single(await simulator.GetResultsAsync($"accounts/{ids[0]}/balance", token));
        var settled = (await simulator.AdminPostAsync($"accounts/{ids[0]}/settle")).GetProperty("results").EnumerateArray().ToArray();
        var pendingAfter = await simulator.GetResultsAsync($"accounts/{ids[0]}/transactions/pending", token);
        var transactions = await simulator.GetResultsAsync($"accounts/{ids[0]}/transactions", token);
        var balanceAfter = Assert.Single(await simulator.GetResultsAsync($"accounts/{ids[0]}/balance", token));
        var otherPending = await simulator.GetResultsAsync($"accounts/{ids[1]}/transactions/pending", token);
        var settleAgain = (await simulator.AdminPostAsync($"accounts/{ids[0]}/settle")).GetProperty("results");

        // Pending sit on the creation day, at 1/3 and 2/3 of the way from midnight to 14:30.
        Assert.Equal(
            [DateTimeOffset.Parse("2026-11-25T04:50:00Z"), DateTimeOffset.Parse("2026-11-25T09:40:00Z")],
            pending.Select(transaction => transaction.GetProperty("timestamp").GetDateTimeOffset()));
        Assert.All(pending, transaction => Assert.False(transaction.TryGetProperty("running_balance", out _)));
        Assert.Equal(TrueLayerInstance.Values(pending, "normalised_provider_transaction_id"), TrueLayerInstance.Values(settled, "normalised_provider_transaction_id"));
        Assert.Equal(TrueLayerInstance.Values(pending, "provider_transaction_id"), TrueLayerInstance.Values(settled, "provider_transaction_id"));
        Assert.All(TrueLayerInstance.Values(pending, "normalised_provider_transaction_id"), id => Assert.NotNull(id));
        Assert.Empty(TrueLayerInstance.Values(pending, "transaction_id").Intersect(TrueLayerInstance.Values(settled, "transaction_id")));
        Assert.Equal(
            pending.Select(transaction => (transaction.GetProperty("timestamp").GetDateTimeOffset(), transaction.GetProperty("amount").GetDecimal())),
            settled.Select(transaction => (transaction.GetProperty("timestamp").GetDateTimeOffset(), transaction.GetProperty("amount").GetDecimal())));
        Assert.Empty(pendingAfter);
        Assert.Equal(settled.Select(transaction => transaction.GetRawText()), transactions[^2..].Select(transaction => transaction.GetRawText()));
        Assert.Equal(91, transactions.Length);
        Assert.Equal(balanceBefore.GetProperty("available").GetDecimal(), balanceAfter.GetProperty("current").GetDecimal());
        Assert.Equal(balanceAfter.GetProperty("current").GetDecimal(), settled[^1].GetProperty("running_balance").GetProperty("amount").GetDecimal());
        Assert.Equal(2, otherPending.Length);
        Assert.Equal(0, settleAgain.GetArrayLength());
    }

    [Fact]
    public async Task SettlingAnUnknownAccountIs404()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        var problem = await simulator.AdminPostAsync("accounts/nope/settle", HttpStatusCode.NotFound);

        Assert.Equal(JsonValueKind.String, problem.GetProperty("detail").ValueKind);
    }
}
