using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>Market data upserts are idempotent and never move a quote back in time; the look-ups plan the jobs' batches.</summary>
public sealed class MarketDataStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Latest_quotes_upsert_idempotently_and_an_older_quote_never_replaces_a_newer_one()
    {
        await using var db = await FinTrackDatabase.CreateAsync("quotes");
        await db.AddAssetsAsync("X", "Y");

        Assert.Equal(2, await db.MarketData.UpsertLatestPricesAsync(
            [new LatestPrice("X", 10, "USD", Monday, "feed"), new LatestPrice("Y", 20, "USD", Monday, "feed")], None));
        Assert.Equal(0, await db.MarketData.UpsertLatestPricesAsync(
            [new LatestPrice("X", 10, "USD", Monday, "feed"), new LatestPrice("Y", 20.00m, "USD", Monday, "feed")], None));
        Assert.Equal(1, await db.MarketData.UpsertLatestPricesAsync(
            [new LatestPrice("X", 9, "USD", Monday.AddDays(-1), "feed"), new LatestPrice("Y", 21, "USD", Monday.AddHours(1), "feed")], None));

        Assert.Equal(
            "(X,10,USD,\"2025-03-03 21:00:00+00\",feed)\n(Y,21,USD,\"2025-03-03 22:00:00+00\",feed)",
            await db.DumpAsync("fintrack.prices_latest", "asset_id"));
    }

    [Fact]
    public async Task History_and_index_levels_upsert_idempotently_and_report_the_last_stored_day()
    {
        await using var db = await FinTrackDatabase.CreateAsync("history");
        await db.AddAssetsAsync("X", "Y");
        Assert.Equal(2, await db.MarketData.UpsertIndicesAsync([new MarketIndex("SPX", "S&P 500", "USD"), new MarketIndex("SMI", "SMI", "CHF")], None));
        var day = new DateOnly(2025, 3, 3);

        Assert.Equal(3, await db.MarketData.UpsertPriceHistoryAsync(
            [new DailyClose("X", day, 1), new DailyClose("X", day.AddDays(1), 2), new DailyClose("Y", day, 3), new DailyClose("X", day.AddDays(1), 2)], None));
        Assert.Equal(1, await db.MarketData.UpsertPriceHistoryAsync([new DailyClose("X", day, 1), new DailyClose("X", day.AddDays(1), 2.5m)], None));
        Assert.Equal(2, await db.MarketData.UpsertIndexHistoryAsync([new IndexClose("SPX", day, 5000), new IndexClose("SPX", day.AddDays(2), 5010)], None));
        Assert.Equal(0, await db.MarketData.UpsertIndexHistoryAsync([new IndexClose("SPX", day, 5000)], None));
        Assert.Equal(1, await db.MarketData.UpsertIndexLevelsAsync([new IndexLevel("SPX", 5020, Monday)], None));
        Assert.Equal(0, await db.MarketData.UpsertIndexLevelsAsync([new IndexLevel("SPX", 4000, Monday.AddDays(-1))], None));

        Assert.Equal(
            new Dictionary<string, DateOnly> { ["X"] = day.AddDays(1), ["Y"] = day },
            await db.MarketData.GetLastPriceHistoryDaysAsync(["X", "Y", "Z"], None));
        Assert.Equal(
            new Dictionary<string, DateOnly> { ["SPX"] = day.AddDays(2) },
            await db.MarketData.GetLastIndexHistoryDaysAsync(["SPX", "SMI"], None));
        Assert.Equal(["SMI", "SPX"], await db.MarketData.ListIndexSymbolsAsync(None));
        Assert.Equal("(SPX,5020,\"2025-03-03 21:00:00+00\")", await db.DumpAsync("fintrack.index_values_latest", "symbol"));
    }

    [Fact]
    public async Task Asset_lists_are_ordered_and_an_account_lists_the_assets_it_traded()
    {
        await using var db = await FinTrackDatabase.CreateAsync("lists");
        await db.AddAccountsAsync("A1", "A2");
        await db.AddAssetsAsync("b", "B", "a-1", "a");
        await db.AddAsync("T1", "A1", "b", "buy", 1, 1, "2024-01-01");
        await db.AddAsync("T2", "A1", "B", "buy", 1, 1, "2024-01-01");
        await db.AddAsync("T3", "A1", "B", "buy", 1, 1, "2024-01-02");
        await db.AddAsync("T4", "A2", "a", "buy", 1, 1, "2024-01-01");

        Assert.Equal(["B", "a", "a-1", "b"], await db.MarketData.ListAssetIdsAsync(None));
        Assert.Equal(["B", "a", "a-1", "b"], (await db.MarketData.ListAssetsAsync(None)).Select(a => a.Symbol));
        Assert.Equal(["B", "b"], await db.MarketData.ListAssetsTouchedByAccountAsync("A1", None));
        Assert.Empty(await db.MarketData.ListAssetsTouchedByAccountAsync("NOBODY", None));
        Assert.True(await db.Reader.AccountExistsAsync("A2", None));
        Assert.False(await db.Reader.AccountExistsAsync("NOBODY", None));
    }
}
