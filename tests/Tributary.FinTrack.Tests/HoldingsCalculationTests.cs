using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>The holdings arithmetic on its own: transactions in, rows out, no database.</summary>
public sealed class HoldingsCalculationTests
{
    private static readonly DateTime QuotedAt = new(2025, 1, 31, 16, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, AssetQuote> Quotes = new(StringComparer.Ordinal)
    {
        ["X"] = new AssetQuote("USD", 130m, QuotedAt),
        ["Y"] = new AssetQuote("EUR", null, null),
    };

    [Fact]
    public void A_daily_row_per_account_and_asset_holds_the_average_cost_state_valued_at_the_latest_quote()
    {
        var calculation = new DailyHoldingsCalculation(Quotes);
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Buy, 10, 100, new DateOnly(2024, 1, 10)));
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Buy, 10, 110, new DateOnly(2024, 1, 20)));
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Sell, 5, 120, new DateOnly(2024, 2, 5)));
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Dividend, 7, 0, new DateOnly(2024, 3, 1)));
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Fee, 2, 0, new DateOnly(2024, 3, 2)));
        Assert.True(calculation.TryAdd("A2", "X", TransactionType.Buy, 1, 50, new DateOnly(2024, 4, 1)));

        var rows = calculation.Complete();

        // 20 bought for 2,100 -> average 105; selling 5 at 120 realises 75, the fee takes 2 of it; 15 left at 105.
        Assert.Equal(6, calculation.Transactions);
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal(("A1", "X", "USD"), (first.AccountId, first.AssetId, first.Currency));
        Assert.Equal(new PositionMeasures(15, 105, 1575, 73, 7, 2), first.Measures);
        Assert.Equal((130m, 1950m, 375m), (first.Price, first.MarketValue, first.UnrealisedPnl));
        Assert.Equal(QuotedAt, first.AsOf);
        Assert.Equal((new DateOnly(2024, 3, 2), 5), (first.LastTradeDate, first.TransactionCount));
        var second = rows[1];
        Assert.Equal(("A2", "X"), (second.AccountId, second.AssetId));
        Assert.Equal(new PositionMeasures(1, 50, 50, 0, 0, 0), second.Measures);
        Assert.Equal((130m, 130m, 80m), (second.Price, second.MarketValue, second.UnrealisedPnl));
        Assert.Equal((new DateOnly(2024, 4, 1), 1), (second.LastTradeDate, second.TransactionCount));
    }

    [Fact]
    public void Without_a_quote_nothing_is_valued_and_measures_are_rounded_to_ten_places()
    {
        var calculation = new DailyHoldingsCalculation(Quotes);
        calculation.TryAdd("A1", "Y", TransactionType.Buy, 3, 10, new DateOnly(2024, 1, 10));
        calculation.TryAdd("A1", "Y", TransactionType.Buy, 3, 10, new DateOnly(2024, 1, 10));
        calculation.TryAdd("A1", "Y", TransactionType.Buy, 3, 11, new DateOnly(2024, 1, 10));
        calculation.TryAdd("A1", "Y", TransactionType.Sell, 3, 12, new DateOnly(2024, 1, 11));

        var row = Assert.Single(calculation.Complete());

        // 9 for 93 -> average 10.333...; selling 3 at 12 realises 3 * 1.666... = 5 (to ten places); 6 left cost 62.
        Assert.Equal("EUR", row.Currency);
        Assert.Equal(new PositionMeasures(6, 10.3333333333m, 62m, 5m, 0, 0), row.Measures);
        Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null, (DateTime?)null), (row.Price, row.MarketValue, row.UnrealisedPnl, row.AsOf));
    }

    [Fact]
    public void Monthly_rows_come_only_for_months_with_trades_valued_at_the_month_end_close_else_at_the_latest_quote()
    {
        var closes = new Dictionary<(string AssetId, DateOnly Month), DailyClose>
        {
            [("X", new DateOnly(2024, 1, 1))] = new DailyClose("X", new DateOnly(2024, 1, 31), 109),
        };
        var calculation = new MonthlyHoldingsCalculation(Quotes, closes);
        calculation.TryAdd("A1", "X", TransactionType.Buy, 10, 100, new DateOnly(2024, 1, 15));
        calculation.TryAdd("A1", "X", TransactionType.Buy, 10, 110, new DateOnly(2024, 1, 31));
        calculation.TryAdd("A1", "X", TransactionType.Sell, 5, 120, new DateOnly(2024, 3, 1));
        calculation.TryAdd("A1", "Y", TransactionType.Buy, 2, 10, new DateOnly(2024, 2, 15));

        var rows = calculation.Complete();

        Assert.Equal(
            [
                // January includes the trade of the 31st, valued at the close of the 31st.
                ("A1", "X", new DateOnly(2024, 1, 1), 20m, 105m, (decimal?)109m, (DateOnly?)new DateOnly(2024, 1, 31), (string?)"history", (decimal?)2180m, (decimal?)80m, 2),
                // No row for February; March has no close, so the latest quote values it.
                ("A1", "X", new DateOnly(2024, 3, 1), 15m, 105m, 130m, null, "latest", 1950m, 375m, 1),
                // Neither a close nor a quote: not valued.
                ("A1", "Y", new DateOnly(2024, 2, 1), 2m, 10m, null, null, null, null, null, 1),
            ],
            rows.Select(r => (r.AccountId, r.AssetId, r.Month, r.Measures.Quantity, r.Measures.AverageCost, r.Price, r.PriceDate, r.PriceSource,
                r.MarketValue, r.UnrealisedPnl, r.MonthTransactions)));
    }

    [Fact]
    public void A_sale_of_more_than_is_held_is_refused_and_ends_the_calculation()
    {
        var calculation = new DailyHoldingsCalculation(Quotes);
        Assert.True(calculation.TryAdd("A1", "X", TransactionType.Buy, 2, 10, new DateOnly(2024, 1, 10)));

        Assert.False(calculation.TryAdd("A1", "X", TransactionType.Sell, 3, 12, new DateOnly(2024, 1, 11)));

        Assert.Equal(new RefusedSale("A1", "X", 1, new DateOnly(2024, 1, 11), 2, 3), calculation.Refused);
        Assert.Equal(1, calculation.Transactions);
        var error = Assert.Throws<InvalidOperationException>(() => calculation.TryAdd("A1", "X", TransactionType.Buy, 1, 10, new DateOnly(2024, 1, 12)));
        Assert.Equal("A refused sale ended this computation; nothing more can be added.", error.Message);
    }

    [Fact]
    public void Equal_rows_have_equal_fingerprints_that_do_not_change_between_versions_and_any_changed_value_changes_the_fingerprint()
    {
        DailyHoldingRow Compute(decimal? quote)
        {
            var quotes = new Dictionary<string, AssetQuote>(StringComparer.Ordinal) { ["X"] = new AssetQuote("USD", quote, QuotedAt) };
            var calculation = new DailyHoldingsCalculation(quotes);
            calculation.TryAdd("A1", "X", TransactionType.Buy, 10, 100, new DateOnly(2024, 1, 10));
            return Assert.Single(calculation.Complete());
        }

        // Pinned: a fingerprint that changed with the code would make the next recompute rewrite every stored row once.
        Assert.Equal(-3_620_846_292_542_956_562L, Compute(130).Fingerprint);
        Assert.Equal(Compute(130).Fingerprint, Compute(130).Fingerprint);
        Assert.NotEqual(Compute(130).Fingerprint, Compute(131).Fingerprint);
        Assert.NotEqual(Compute(130).Fingerprint, Compute(null).Fingerprint);
    }
}
