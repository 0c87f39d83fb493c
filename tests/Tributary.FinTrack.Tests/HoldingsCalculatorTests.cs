using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>Daily holdings against cases worked out by hand (average-cost method).</summary>
public sealed class HoldingsCalculatorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_partial_sell_realises_the_difference_to_the_average_cost_and_keeps_the_average()
    {
        await using var db = await FinTrackDatabase.CreateAsync("partial_sell");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 100, "2024-01-10");
        await db.AddAsync("T2", "A1", "X", "buy", 10, 110, "2024-01-20");
        await db.AddAsync("T3", "A1", "X", "sell", 5, 120, "2024-02-05");
        await db.SetLatestPriceAsync("X", 130);

        Assert.Equal(1, await db.Calculator.ComputeHoldingsAsync(["X"], null, None));

        // 20 bought for 2,100 -> average 105; selling 5 at 120 realises 5 * 15 = 75 and leaves 15 at 105.
        var holding = await db.HoldingAsync("A1", "X");
        Assert.Equal(15m, holding.Quantity);
        Assert.Equal(105m, holding.AverageCost);
        Assert.Equal(1575m, holding.CostBasis);
        Assert.Equal(75m, holding.RealisedPnl);
        Assert.Equal(130m, holding.Price);
        Assert.Equal(1950m, holding.MarketValue);
        Assert.Equal(375m, holding.UnrealisedPnl);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 16, 0, 0, TimeSpan.Zero), holding.AsOf);
        Assert.Equal(new DateOnly(2024, 2, 5), holding.LastTradeDate);
        Assert.Equal(3, holding.TransactionCount);
        Assert.Equal("USD", holding.Currency);
    }

    [Fact]
    public async Task Selling_everything_realises_it_all_and_leaves_a_zero_position_that_buys_afresh()
    {
        await using var db = await FinTrackDatabase.CreateAsync("sell_all");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 3, 10, "2024-01-10");
        await db.AddAsync("T2", "A1", "X", "buy", 1, 11, "2024-01-11");
        await db.AddAsync("T3", "A1", "X", "sell", 4, 12, "2024-01-12");

        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);

        // 4 for 41 -> average 10.25; selling 4 at 12 realises 7.
        var closed = await db.HoldingAsync("A1", "X");
        Assert.Equal((0m, 0m, 0m, 7m), (closed.Quantity, closed.AverageCost, closed.CostBasis, closed.RealisedPnl));
        Assert.Null(closed.Price);
        Assert.Null(closed.MarketValue);
        Assert.Null(closed.UnrealisedPnl);
        Assert.Null(closed.AsOf);

        await db.AddAsync("T4", "A1", "X", "buy", 2, 20, "2024-03-01");
        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);
        var reopened = await db.HoldingAsync("A1", "X");
        Assert.Equal((2m, 20m, 40m, 7m), (reopened.Quantity, reopened.AverageCost, reopened.CostBasis, reopened.RealisedPnl));
    }

    [Fact]
    public async Task An_average_cost_that_does_not_divide_evenly_is_stored_to_ten_places_and_sells_at_it()
    {
        await using var db = await FinTrackDatabase.CreateAsync("thirds");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 3, 10, "2024-01-10");
        await db.AddAsync("T2", "A1", "X", "buy", 3, 10, "2024-01-10");
        await db.AddAsync("T3", "A1", "X", "buy", 3, 11, "2024-01-10");
        await db.AddAsync("T4", "A1", "X", "sell", 3, 12, "2024-01-11");

        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);

        // 9 for 93 -> average 10.333...; selling 3 at 12 realises 3 * 1.666... = 5; 6 left cost 62.
        var holding = await db.HoldingAsync("A1", "X");
        Assert.Equal(6m, holding.Quantity);
        Assert.Equal(10.3333333333m, holding.AverageCost);
        Assert.Equal(62m, holding.CostBasis);
        Assert.Equal(5m, holding.RealisedPnl);
    }

    [Fact]
    public async Task Selling_more_than_held_is_refused_with_a_message_naming_the_sale_and_nothing_is_written()
    {
        await using var db = await FinTrackDatabase.CreateAsync("oversell");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 100, "2024-01-10");
        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);
        var before = await db.DumpAsync("fintrack.holdings", "account_id, asset_id");

        await db.AddAsync("T2", "A1", "X", "sell", 4, 100, "2024-02-01");
        await db.AddAsync("T3", "A1", "X", "sell", 7.5m, 100, "2024-03-31");
        var error = await Assert.ThrowsAsync<HoldingsDataException>(() => db.Calculator.ComputeHoldingsAsync(["X"], null, None));

        Assert.Equal(
            "Account A1 sells 7.5 units of asset X on 2024-03-31 (transaction T3) but holds only 6 at that point. " +
            "Correct the quantity or the date of that sale, or import the missing buy, then run the holdings job again.",
            error.Message);
        Assert.Equal(("A1", "X", "T3", new DateOnly(2024, 3, 31), 6m, 7.5m),
            (error.AccountId, error.AssetId, error.TransactionId, error.TradeDate, error.HeldQuantity, error.SoldQuantity));
        Assert.Equal(before, await db.DumpAsync("fintrack.holdings", "account_id, asset_id"));
    }

    [Fact]
    public async Task A_batch_with_bad_data_fails_alone_while_the_other_batches_commit()
    {
        await using var db = await FinTrackDatabase.CreateAsync("bad_batch");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("BAD", "GOOD1", "GOOD2");
        await db.AddAsync("T1", "A1", "BAD", "sell", 1, 10, "2024-01-10");
        await db.AddAsync("T2", "A1", "GOOD1", "buy", 1, 10, "2024-01-10");
        await db.AddAsync("T3", "A1", "GOOD2", "buy", 2, 10, "2024-01-10");

        string[][] batches = [["GOOD1"], ["BAD"], ["GOOD2"]];
        var outcomes = await Task.WhenAll(
            batches.Select(async batch =>
            {
                try
                {
                    return await db.Calculator.ComputeHoldingsAsync(batch, null, None);
                }
                catch (HoldingsDataException)
                {
                    return -1;
                }
            }));

        Assert.Equal([1, -1, 1], outcomes);
        Assert.Equal(["GOOD1", "GOOD2"], (await db.Reader.GetHoldingsAsync(null, None)).Select(h => h.AssetId));
    }

    [Fact]
    public async Task Trades_on_the_same_day_apply_in_transaction_id_order()
    {
        await using var db = await FinTrackDatabase.CreateAsync("same_day");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X");
        // A1: buy (D-1) before sell (D-2). A2: the sale's id sorts first, so it sells what is not yet bought.
        await db.AddAsync("D-1", "A1", "X", "buy", 5, 10, "2024-05-31");
        await db.AddAsync("D-2", "A1", "X", "sell", 5, 12, "2024-05-31");
        await db.AddAsync("E-2", "A2", "X", "buy", 5, 10, "2024-05-31");
        await db.AddAsync("E-1", "A2", "X", "sell", 5, 12, "2024-05-31");

        var error = await Assert.ThrowsAsync<HoldingsDataException>(() => db.Calculator.ComputeHoldingsAsync(["X"], null, None));
        Assert.Equal(("A2", "E-1", 0m), (error.AccountId, error.TransactionId, error.HeldQuantity));

        await db.Calculator.ComputeHoldingsAsync(["X"], "A1", None);
        Assert.Equal(10m, (await db.HoldingAsync("A1", "X")).RealisedPnl);
    }

    [Fact]
    public async Task Dividends_add_cash_and_fees_add_to_fees_and_reduce_realised_pnl()
    {
        await using var db = await FinTrackDatabase.CreateAsync("dividends_fees");
        await db.AddAccountsAsync("A1");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 50, "2024-01-10");
        await db.AddAsync("T2", "A1", "X", "dividend", null, null, "2024-02-10", amount: 12.5m);
        await db.AddAsync("T3", "A1", "X", "fee", null, null, "2024-02-11", amount: 3.25m);
        await db.AddAsync("T4", "A1", "X", "sell", 4, 60, "2024-03-01");
        await db.AddAsync("T5", "A1", "X", "dividend", 6, 0.5m, "2024-04-10", amount: 3m);
        await db.SetLatestPriceAsync("X", 55);

        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);

        // Sale: 4 * (60 - 50) = 40, less the 3.25 fee. Dividends are not part of realised P&L.
        var holding = await db.HoldingAsync("A1", "X");
        Assert.Equal(6m, holding.Quantity);
        Assert.Equal(50m, holding.AverageCost);
        Assert.Equal(300m, holding.CostBasis);
        Assert.Equal(36.75m, holding.RealisedPnl);
        Assert.Equal(15.5m, holding.Dividends);
        Assert.Equal(3.25m, holding.Fees);
        Assert.Equal(330m, holding.MarketValue);
        Assert.Equal(30m, holding.UnrealisedPnl);
        Assert.Equal(5, holding.TransactionCount);
    }

    [Fact]
    public async Task Several_accounts_holding_several_assets_each_get_their_own_row()
    {
        await using var db = await FinTrackDatabase.CreateAsync("accounts");
        await db.AddAccountsAsync("A1", "A2", "A3");
        await db.AddAssetsAsync("X", "Y");
        await db.AddAsync("T1", "A1", "X", "buy", 10, 10, "2024-01-10");
        await db.AddAsync("T2", "A2", "X", "buy", 20, 12, "2024-01-10");
        await db.AddAsync("T3", "A2", "X", "sell", 5, 15, "2024-01-11");
        await db.AddAsync("T4", "A1", "Y", "buy", 1, 1000, "2024-01-10");
        await db.AddAsync("T5", "A3", "Y", "buy", 4, 900, "2024-01-10");
        await db.AddAsync("T6", "A3", "Y", "buy", 4, 1100, "2024-01-12");

        Assert.Equal(4, await db.Calculator.ComputeHoldingsAsync(["X", "Y", "X"], null, None));

        var rows = (await db.Reader.GetHoldingsAsync(null, None))
            .Select(h => (h.AccountId, h.AssetId, h.Quantity, h.AverageCost, h.RealisedPnl))
            .ToList();
        Assert.Equal(
            [("A1", "X", 10m, 10m, 0m), ("A1", "Y", 1m, 1000m, 0m), ("A2", "X", 15m, 12m, 15m), ("A3", "Y", 8m, 1000m, 0m)],
            rows);
    }

    [Fact]
    public async Task Recomputing_unchanged_data_leaves_identical_rows_and_writes_no_row_versions()
    {
        await using var db = await FinTrackDatabase.CreateAsync("idempotent");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X", "Y");
        await db.AddAsync("T1", "A1", "X", "buy", 3, 10, "2024-01-10");
        await db.AddAsync("T2", "A2", "X", "buy", 7, 11, "2024-01-10");
        await db.AddAsync("T3", "A2", "Y", "buy", 7, 11, "2024-01-10");
        await db.AddAsync("T4", "A2", "Y", "sell", 2, 13, "2024-02-10");
        await db.SetLatestPriceAsync("X", 12.5m);

        Assert.Equal(3, await db.Calculator.ComputeHoldingsAsync(["X", "Y"], null, None));
        var rows = await db.DumpAsync("fintrack.holdings", "account_id, asset_id");
        var versions = await db.DumpAsync("(SELECT account_id, asset_id, xmin::text AS version FROM fintrack.holdings) v", "account_id, asset_id");

        Assert.Equal(3, await db.Calculator.ComputeHoldingsAsync(["Y", "X"], null, None));

        Assert.Equal(rows, await db.DumpAsync("fintrack.holdings", "account_id, asset_id"));
        Assert.Equal(versions, await db.DumpAsync("(SELECT account_id, asset_id, xmin::text AS version FROM fintrack.holdings) v", "account_id, asset_id"));
    }

    [Fact]
    public async Task A_recompute_for_one_account_replaces_only_that_accounts_rows()
    {
        await using var db = await FinTrackDatabase.CreateAsync("account_scope");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 1, 10, "2024-01-10");
        await db.AddAsync("T2", "A2", "X", "buy", 2, 10, "2024-01-10");
        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);

        await db.AddAsync("T3", "A1", "X", "buy", 1, 20, "2024-01-11");
        await db.AddAsync("T4", "A2", "X", "buy", 2, 20, "2024-01-11");
        Assert.Equal(1, await db.Calculator.ComputeHoldingsAsync(["X"], "A1", None));

        Assert.Equal((2m, 15m), ((await db.HoldingAsync("A1", "X")).Quantity, (await db.HoldingAsync("A1", "X")).AverageCost));
        Assert.Equal((2m, 10m), ((await db.HoldingAsync("A2", "X")).Quantity, (await db.HoldingAsync("A2", "X")).AverageCost));
    }

    [Fact]
    public async Task Rows_whose_transactions_are_gone_are_removed_and_unknown_assets_produce_nothing()
    {
        await using var db = await FinTrackDatabase.CreateAsync("stale_rows");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("X");
        await db.AddAsync("T1", "A1", "X", "buy", 1, 10, "2024-01-10");
        await db.AddAsync("T2", "A2", "X", "buy", 1, 10, "2024-01-10");
        await db.Calculator.ComputeHoldingsAsync(["X"], null, None);

        await db.ExecuteAsync("DELETE FROM fintrack.transactions WHERE transaction_id = 'T2'");

        Assert.Equal(1, await db.Calculator.ComputeHoldingsAsync(["X", "NOPE"], null, None));
        Assert.Equal(["A1"], (await db.Reader.GetHoldingsAsync(null, None)).Select(h => h.AccountId));
        Assert.Equal(0, await db.Calculator.ComputeHoldingsAsync([], null, None));
    }
}
