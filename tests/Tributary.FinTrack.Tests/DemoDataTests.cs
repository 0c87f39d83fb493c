using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>The demo data set: loaded once, the same every time, and valid for the holdings jobs.</summary>
public sealed class DemoDataTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Counts =
        """
        SELECT format('%s assets, %s accounts, %s indices, %s transactions, %s buys, %s sells, %s dividends, %s fees, hash %s',
            (SELECT count(*) FROM fintrack.assets), (SELECT count(*) FROM fintrack.accounts), (SELECT count(*) FROM fintrack.market_indices),
            (SELECT count(*) FROM fintrack.transactions),
            (SELECT count(*) FROM fintrack.transactions WHERE type = 'buy'), (SELECT count(*) FROM fintrack.transactions WHERE type = 'sell'),
            (SELECT count(*) FROM fintrack.transactions WHERE type = 'dividend'), (SELECT count(*) FROM fintrack.transactions WHERE type = 'fee'),
            (SELECT md5(string_agg(transaction_id || content_hash, ',' ORDER BY transaction_id)) FROM fintrack.transactions))
        """;

    [Fact]
    public async Task The_demo_data_loads_into_an_empty_database_once()
    {
        await using var db = await FinTrackDatabase.CreateAsync("demo_once");

        var loads = await Task.WhenAll(DemoData.LoadIfEmptyAsync(db.DataSource, None), DemoData.LoadIfEmptyAsync(db.DataSource, None));

        Assert.Equal(1, loads.Count(loaded => loaded));
        Assert.False(await DemoData.LoadIfEmptyAsync(db.DataSource, None));
        Assert.Equal(300L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.assets"));
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.market_indices"));
        Assert.Equal(30_000L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.transactions"));
        Assert.Equal(1_200L, await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id FROM fintrack.transactions) p"));
    }

    [Fact]
    public async Task The_demo_data_is_the_same_in_every_database_and_has_no_oversells()
    {
        await using var first = await FinTrackDatabase.CreateAsync("demo_first");
        await using var second = await FinTrackDatabase.CreateAsync("demo_second");
        Assert.True(await DemoData.LoadIfEmptyAsync(first.DataSource, None));
        Assert.True(await DemoData.LoadIfEmptyAsync(second.DataSource, None));

        Assert.Equal(await first.ScalarAsync<string>(Counts), await second.ScalarAsync<string>(Counts));
        Assert.Equal(DemoData.Generate(DemoDataSize.Default), DemoData.Generate(DemoDataSize.Default), DataSetComparer.Instance);

        // Every position can be computed: no sale exceeds what is held, and every pair gets a daily row.
        var assets = await first.MarketData.ListAssetIdsAsync(None);
        var daily = 0;
        var monthly = 0;
        foreach (var batch in assets.Chunk(100))
        {
            daily += await first.Calculator.ComputeHoldingsAsync(batch, null, None);
            monthly += await first.Calculator.ComputeMonthlyHoldingsAsync(batch, null, None);
        }

        Assert.Equal(1_200, daily);
        Assert.Equal(await first.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id, date_trunc('month', trade_date) FROM fintrack.transactions) m"), monthly);
    }

    [Fact]
    public async Task Imported_demo_rows_count_as_unchanged()
    {
        await using var db = await FinTrackDatabase.CreateAsync("demo_reimport");
        await DemoData.LoadIfEmptyAsync(db.DataSource, None);
        var sample = DemoData.Generate(DemoDataSize.Default).Transactions.Take(3)
            .Select(t => $"{t.TransactionId},{t.AccountId},{t.AssetId},{t.Type.ToWire()},{t.Quantity},{t.Price},{t.Amount},{t.Currency},{t.TradeDate:yyyy-MM-dd}");

        var result = await db.Importer.ImportTransactionsAsync(
            FinTrackDatabase.Body("transaction_id,account_id,asset_id,type,quantity,price,amount,currency,trade_date\n" + string.Join('\n', sample)),
            ImportFormat.Csv, None);

        Assert.Empty(result.Errors);
        Assert.Equal((3, 0, 3), (result.Rows, result.Inserted, result.Unchanged));
    }

    private sealed class DataSetComparer : IEqualityComparer<DemoDataSet>
    {
        public static readonly DataSetComparer Instance = new();

        public bool Equals(DemoDataSet? x, DemoDataSet? y) =>
            x!.Assets.SequenceEqual(y!.Assets) && x.Accounts.SequenceEqual(y.Accounts)
            && x.Indices.SequenceEqual(y.Indices) && x.Transactions.SequenceEqual(y.Transactions);

        public int GetHashCode(DemoDataSet obj) => obj.Transactions.Count;
    }
}
