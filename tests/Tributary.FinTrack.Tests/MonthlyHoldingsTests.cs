using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>Month-end snapshots: one per account, asset and month with a transaction, valued at the month-end close.</summary>
public sealed class MonthlyHoldingsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_trade_on_the_last_day_of_a_month_lands_in_that_month_and_untouched_months_get_no_row()
    {
        await using var db = await FinTrackDatabase.CreateAsync("month_boundary");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 100, "2024-01-15");
        await db.AddAsync("T2", "A1", "X", "buy", 10, 110, "2024-01-31");
        await db.AddAsync("T3", "A1", "X", "sell", 5, 120, "2024-03-01");
        await db.AddAsync("T4", "A1", "X", "fee", null, null, "2024-03-31", amount: 2);
        await db.MarketData.UpsertPriceHistoryAsync(
            [
                new DailyClose("X", new DateOnly(2024, 1, 30), 108),
                new DailyClose("X", new DateOnly(2024, 1, 31), 109),
                new DailyClose("X", new DateOnly(2024, 3, 15), 121),
                new DailyClose("X", new DateOnly(2024, 4, 1), 125),
            ],
            None);

        Assert.Equal(2, await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None));

        var months = await db.Reader.GetMonthlyHoldingsAsync("A1", null, None);
        Assert.Equal(
            [
                // January includes the trade of the 31st, valued at the close of the 31st.
                new MonthlyHolding("A1", "X", new DateOnly(2024, 1, 1), "USD", 20, 105, 2100, 0, 0, 0, 109, new DateOnly(2024, 1, 31), "history", 2180, 80, 2),
                // No row for February; March: the close of the 15th is the last on or before the 31st.
                new MonthlyHolding("A1", "X", new DateOnly(2024, 3, 1), "USD", 15, 105, 1575, 73, 0, 2, 121, new DateOnly(2024, 3, 15), "history", 1815, 240, 2),
            ],
            months);
        Assert.Equal([new DateOnly(2024, 3, 1)], (await db.Reader.GetMonthlyHoldingsAsync("A1", new DateOnly(2024, 3, 20), None)).Select(m => m.Month));
    }

    [Fact]
    public async Task Without_a_close_by_month_end_the_latest_quote_values_the_snapshot_and_without_either_nothing_does()
    {
        await using var db = await FinTrackDatabase.CreateAsync("month_fallback");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X", "Y");
        await db.AddAsync("T1", "A1", "X", "buy", 2, 10, "2024-01-15");
        await db.AddAsync("T2", "A1", "X", "buy", 2, 10, "2024-02-15");
        await db.AddAsync("T3", "A1", "Y", "buy", 2, 10, "2024-01-15");
        await db.MarketData.UpsertPriceHistoryAsync([new DailyClose("X", new DateOnly(2024, 2, 1), 11)], None);
        await db.SetLatestPriceAsync("X", 14);

        Assert.Equal(3, await db.Calculator.ComputeMonthlyHoldingsAsync(["X", "Y"], null, None));

        var rows = (await db.Reader.GetMonthlyHoldingsAsync(null, null, None))
            .Select(m => (m.AssetId, m.Month.Month, m.Price, m.PriceDate, m.PriceSource, m.MarketValue, m.UnrealisedPnl))
            .ToList();
        Assert.Equal(
            [
                ("X", 1, (decimal?)14m, (DateOnly?)null, (string?)"latest", (decimal?)28m, (decimal?)8m),
                ("X", 2, 11m, new DateOnly(2024, 2, 1), "history", 44m, 4m),
                ("Y", 1, null, null, null, null, null),
            ],
            rows);
    }

    [Fact]
    public async Task Snapshots_carry_cumulative_measures_and_count_only_the_months_transactions()
    {
        await using var db = await FinTrackDatabase.CreateAsync("month_cumulative");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 10, "2023-12-31");
        await db.AddAsync("T2", "A1", "X", "dividend", null, null, "2024-01-01", amount: 5);
        await db.AddAsync("T3", "A1", "X", "sell", 10, 12, "2024-01-02");
        await db.AddAsync("T4", "A1", "X", "dividend", null, null, "2024-02-29", amount: 1);
        await db.AddAsync("T5", "A2", "X", "buy", 1, 10, "2024-02-29");

        Assert.Equal(4, await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None));

        var rows = (await db.Reader.GetMonthlyHoldingsAsync(null, null, None))
            .Select(m => (m.AccountId, m.Month, m.Quantity, m.RealisedPnl, m.Dividends, m.MonthTransactions))
            .ToList();
        Assert.Equal(
            [
                ("A1", new DateOnly(2023, 12, 1), 10m, 0m, 0m, 1),
                ("A1", new DateOnly(2024, 1, 1), 0m, 20m, 5m, 2),
                ("A1", new DateOnly(2024, 2, 1), 0m, 20m, 6m, 1),
                ("A2", new DateOnly(2024, 2, 1), 1m, 0m, 0m, 1),
            ],
            rows);
    }

    [Fact]
    public async Task Monthly_recompute_is_idempotent_scoped_to_one_account_and_refuses_an_oversell()
    {
        await using var db = await FinTrackDatabase.CreateAsync("month_recompute");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 4, 10, "2024-01-10");
        await db.AddAsync("T2", "A2", "X", "buy", 4, 10, "2024-01-10");
        await db.AddAsync("T3", "A2", "X", "sell", 1, 10, "2024-03-10");
        await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None);
        var rows = await db.DumpAsync("fintrack.holdings_monthly", "account_id, asset_id, month");
        var versions = await db.DumpAsync("(SELECT account_id, asset_id, month, xmin::text FROM fintrack.holdings_monthly) v", "account_id, asset_id, month");

        Assert.Equal(3, await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None));
        Assert.Equal(rows, await db.DumpAsync("fintrack.holdings_monthly", "account_id, asset_id, month"));
        Assert.Equal(versions, await db.DumpAsync("(SELECT account_id, asset_id, month, xmin::text FROM fintrack.holdings_monthly) v", "account_id, asset_id, month"));

        await db.AddAsync("T4", "A1", "X", "buy", 1, 10, "2024-02-10");
        await db.AddAsync("T5", "A2", "X", "buy", 1, 10, "2024-02-10");
        Assert.Equal(2, await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], "A1", None));
        var months = (await db.Reader.GetMonthlyHoldingsAsync(null, null, None)).Select(m => (m.AccountId, m.Month.Month, m.Quantity)).ToList();
        Assert.Equal([("A1", 1, 4m), ("A1", 2, 5m), ("A2", 1, 4m), ("A2", 3, 3m)], months);

        await db.AddAsync("T6", "A1", "X", "sell", 6, 10, "2024-04-30");
        var error = await Assert.ThrowsAsync<HoldingsDataException>(() => db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None));
        Assert.Equal(("A1", "T6", 5m, 6m), (error.AccountId, error.TransactionId, error.HeldQuantity, error.SoldQuantity));
        Assert.Equal(4, (await db.Reader.GetMonthlyHoldingsAsync(null, null, None)).Count);
    }

    [Fact]
    public async Task A_new_quote_rewrites_only_the_snapshots_it_values()
    {
        await using var db = await FinTrackDatabase.CreateAsync("month_new_quote");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 2, 10, "2024-01-15");
        await db.AddAsync("T2", "A1", "X", "buy", 2, 10, "2024-02-15");
        await db.MarketData.UpsertPriceHistoryAsync([new DailyClose("X", new DateOnly(2024, 2, 1), 11)], None);
        await db.SetLatestPriceAsync("X", 12, "2024-02-20T16:00:00Z");
        await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None);
        const string Versions = "(SELECT month, price_source, price, xmin::text AS version FROM fintrack.holdings_monthly) v";
        var before = (await db.DumpAsync(Versions, "month")).Split('\n');

        await db.SetLatestPriceAsync("X", 13, "2024-02-21T16:00:00Z");
        Assert.Equal(2, await db.Calculator.ComputeMonthlyHoldingsAsync(["X"], null, None));

        // January has no close by its end, so the latest quote values it: rewritten. February is valued at the close
        // of 2/1 and keeps its row version.
        var after = (await db.DumpAsync(Versions, "month")).Split('\n');
        Assert.StartsWith("(2024-01-01,latest,12,", before[0], StringComparison.Ordinal);
        Assert.StartsWith("(2024-01-01,latest,13,", after[0], StringComparison.Ordinal);
        Assert.Equal(before[1], after[1]);
    }
}
