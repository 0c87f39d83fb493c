using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tributary.Storage;
using Tributary.Storage.FinTrack;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>holdings</c>: times <see cref="HoldingsCalculator"/> over a generated data set (by default 1,000,000 transactions,
/// 5,000 assets, 1,000 accounts) in the job's batch sizes, against <see cref="NaiveHoldings"/> in the same run.
/// </summary>
internal static class HoldingsBenchmark
{
    private const string Usage =
        "usage: holdings [--transactions 1000000] [--assets 5000] [--accounts 1000] [--parallel N] [--naive-assets 250] [--keep]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--transactions"] = 1_000_000,
            ["--assets"] = 5_000,
            ["--accounts"] = 1_000,
            ["--parallel"] = Environment.ProcessorCount,
            ["--naive-assets"] = 250,
        };
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
            }
            else if (options.ContainsKey(args[i]) && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                options[args[i]] = value;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'. {Usage}");
                return 2;
            }
        }

        var size = DemoDataSize.Default with
        {
            Transactions = options["--transactions"],
            Assets = options["--assets"],
            Accounts = options["--accounts"],
        };
        var parallel = options["--parallel"];

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_holdings");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0, MaxPoolSize = 20 }.ConnectionString);
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            return await RunAsync(dataSource, size, parallel, options["--naive-assets"]);
        }
        finally
        {
            await BenchDatabase.ReleaseAsync(server, connectionString, keep);
        }
    }

    private static async Task<int> RunAsync(NpgsqlDataSource dataSource, DemoDataSize size, int parallel, int naiveAssets)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Loading {size.Transactions:N0} transactions, {size.Assets:N0} assets, {size.Accounts:N0} accounts ({size.From:yyyy-MM-dd} to {size.To:yyyy-MM-dd})...");
        await DemoData.LoadIfEmptyAsync(dataSource, size, CancellationToken.None);
        var loadTransactions = clock.Elapsed;
        clock.Restart();
        var (closes, quotes) = await LoadPricesAsync(dataSource, size);
        var loadPrices = clock.Elapsed;
        clock.Restart();
        await ExecuteAsync(dataSource, "VACUUM ANALYZE");
        var vacuum = clock.Elapsed;

        // The SQL below is the benchmark's own (statistics of the data set, emptying the tables between passes, the
        // comparison with the naive tables): no store offers it, and the stores' SQL is what is being measured.
        var positions = await ScalarAsync(dataSource, "SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id FROM fintrack.transactions) p");
        var months = await ScalarAsync(dataSource,
            "SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id, date_trunc('month', trade_date) FROM fintrack.transactions) m");
        Console.WriteLine(
            $"Setup: transactions generated and copied in {loadTransactions.TotalSeconds:0.0} s, {closes:N0} daily closes and {size.Assets:N0} quotes in " +
            $"{loadPrices.TotalSeconds:0.0} s, VACUUM ANALYZE {vacuum.TotalSeconds:0.0} s; {positions:N0} positions, {months:N0} position-months.");

        var calculator = new HoldingsCalculator(dataSource, NullLogger<HoldingsCalculator>.Instance);
        var assets = await new MarketDataStore(dataSource).ListAssetIdsAsync(CancellationToken.None);
        Console.WriteLine($"Timing with {parallel} batch(es) in parallel on {Environment.ProcessorCount} cores...");

        // Warm-up: JIT tiering, the connection pool and the buffer cache are costs of a fresh process, not of a job run
        // in a silo that has been up for a while. One untimed pass over everything, then empty tables for the timed run.
        var warmUp = await TimeBatchesAsync(assets, 100, parallel, batch => calculator.ComputeHoldingsAsync(batch, null, CancellationToken.None));
        var warmUpMonthly = await TimeBatchesAsync(assets, 50, parallel, batch => calculator.ComputeMonthlyHoldingsAsync(batch, null, CancellationToken.None));
        await ExecuteAsync(dataSource, "TRUNCATE fintrack.holdings, fintrack.holdings_monthly");
        Console.WriteLine($"Warm-up pass (untimed in the table): daily {warmUp.Seconds:0.00} s, monthly {warmUpMonthly.Seconds:0.00} s.");

        var daily = await TimeBatchesAsync(assets, 100, parallel, batch => calculator.ComputeHoldingsAsync(batch, null, CancellationToken.None));
        var dailyAgain = await TimeBatchesAsync(assets, 100, parallel, batch => calculator.ComputeHoldingsAsync(batch, null, CancellationToken.None));
        var monthly = await TimeBatchesAsync(assets, 50, parallel, batch => calculator.ComputeMonthlyHoldingsAsync(batch, null, CancellationToken.None));
        var monthlyAgain = await TimeBatchesAsync(assets, 50, parallel, batch => calculator.ComputeMonthlyHoldingsAsync(batch, null, CancellationToken.None));

        // The daily job's usual day: every quote moved (stored as the market-data job stores them), so every daily
        // row is rewritten.
        await new MarketDataStore(dataSource).UpsertLatestPricesAsync(
            [.. quotes.Select(q => q with { Price = Math.Round(q.Price * 1.01m, 2, MidpointRounding.AwayFromZero), AsOf = q.AsOf.AddDays(1) })],
            CancellationToken.None);
        var dailyNewQuotes = await TimeBatchesAsync(assets, 100, parallel, batch => calculator.ComputeHoldingsAsync(batch, null, CancellationToken.None));

        // The naive loop is far slower: time an evenly spread sample of assets and scale by their share of transactions.
        var naive = new NaiveHoldings(dataSource);
        await naive.CreateTablesAsync();
        var sample = assets.Where((_, i) => i % Math.Max(1, assets.Count / Math.Min(naiveAssets, assets.Count)) == 0).Take(naiveAssets).ToArray();
        var sampleTransactions = await ScalarAsync(dataSource, "SELECT count(*) FROM fintrack.transactions WHERE asset_id = ANY(@assets)", sample);
        var scale = size.Transactions / (double)sampleTransactions;
        await TimeNaiveAsync(dataSource, sample[..Math.Min(3, sample.Length)], naive.ComputeDailyAsync);
        await TimeNaiveAsync(dataSource, sample[..Math.Min(3, sample.Length)], naive.ComputeMonthlyAsync);
        await ExecuteAsync(dataSource, "TRUNCATE bench_naive_holdings, bench_naive_holdings_monthly");
        var naiveDaily = await TimeNaiveAsync(dataSource, sample, naive.ComputeDailyAsync);
        var naiveMonthly = await TimeNaiveAsync(dataSource, sample, naive.ComputeMonthlyAsync);
        var disagreements = await ScalarAsync(dataSource, Disagreements("holdings", "account_id, asset_id"), sample)
            + await ScalarAsync(dataSource, Disagreements("holdings_monthly", "account_id, asset_id, month"), sample);

        var naiveDailySeconds = naiveDaily.Seconds * scale;
        var naiveMonthlySeconds = naiveMonthly.Seconds * scale;
        Console.WriteLine();
        Console.WriteLine($"FinTrack holdings: {size.Transactions:N0} transactions, {size.Assets:N0} assets, {size.Accounts:N0} accounts, " +
                          $"{parallel} batch(es) in parallel, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| step | transactions | rows | seconds | rows/s | transactions/s | speed-up vs naive |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("daily holdings, batches of 100", size.Transactions, daily.Rows, daily.Seconds, naiveDailySeconds);
        Row("daily holdings, recompute (unchanged)", size.Transactions, dailyAgain.Rows, dailyAgain.Seconds, naiveDailySeconds);
        Row("daily holdings, recompute after new quotes", size.Transactions, dailyNewQuotes.Rows, dailyNewQuotes.Seconds, naiveDailySeconds);
        Row("monthly holdings, batches of 50", size.Transactions, monthly.Rows, monthly.Seconds, naiveMonthlySeconds);
        Row("monthly holdings, recompute (unchanged)", size.Transactions, monthlyAgain.Rows, monthlyAgain.Seconds, naiveMonthlySeconds);
        Row("naive daily, per asset, row by row *", size.Transactions, (long)(naiveDaily.Rows * scale), naiveDailySeconds, naiveDailySeconds);
        Row("naive monthly, per asset, row by row *", size.Transactions, (long)(naiveMonthly.Rows * scale), naiveMonthlySeconds, naiveMonthlySeconds);
        Console.WriteLine();
        Console.WriteLine(
            $"* naive: timed {sample.Length:N0} of {assets.Count:N0} assets ({sampleTransactions:N0} transactions; daily {naiveDaily.Seconds:0.00} s, " +
            $"monthly {naiveMonthly.Seconds:0.00} s) and extrapolated x{scale:0.0} by transactions.");
        Console.WriteLine(disagreements == 0
            ? $"Check: the naive loop and HoldingsCalculator agree on all {naiveDaily.Rows + naiveMonthly.Rows:N0} sample rows."
            : $"Check FAILED: {disagreements} sample rows differ between the naive loop and HoldingsCalculator.");
        return disagreements == 0 ? 0 : 1;
    }

    private static void Row(string step, long transactions, long rows, double seconds, double naiveSeconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {step} | {transactions:N0} | {rows:N0} | {seconds:0.00} | {rows / seconds:N0} | {transactions / seconds:N0} | {naiveSeconds / seconds:0.0}x |"));

    private static async Task<(long Rows, double Seconds)> TimeBatchesAsync(
        IReadOnlyList<string> assets, int batchSize, int parallel, Func<string[], Task<int>> compute)
    {
        var rows = 0L;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            assets.Chunk(batchSize),
            new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (batch, _) => Interlocked.Add(ref rows, await compute(batch)));
        return (rows, clock.Elapsed.TotalSeconds);
    }

    private static async Task<(long Rows, double Seconds)> TimeNaiveAsync(
        NpgsqlDataSource dataSource, string[] sample, Func<NpgsqlConnection, string, Task<int>> compute)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = 0L;
        var clock = Stopwatch.StartNew();
        foreach (var asset in sample)
        {
            rows += await compute(connection, asset);
        }

        return (rows, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Rows of the sample assets on which the naive tables and FinTrack's differ (to 6 places), both ways.</summary>
    private static string Disagreements(string table, string key)
    {
        const string Measures =
            "quantity::numeric(30,6), average_cost::numeric(30,6), cost_basis::numeric(30,6), realised_pnl::numeric(30,6), " +
            "dividends::numeric(30,6), fees::numeric(30,6), price, market_value::numeric(30,6)";
        var fast = $"SELECT {key}, {Measures} FROM fintrack.{table} WHERE asset_id = ANY(@assets)";
        var naive = $"SELECT {key}, {Measures} FROM bench_naive_{table}";
        return $"SELECT count(*) FROM (({fast} EXCEPT {naive}) UNION ALL ({naive} EXCEPT {fast})) d";
    }

    /// <summary>
    /// A latest quote per asset and a close for every weekday of the data set's range: a seeded random walk of about
    /// 1 % a day. Written through <see cref="MarketDataStore"/>, as the market-data jobs write them, a batch of assets
    /// at a time.
    /// </summary>
    /// <returns>The number of closes, and the latest quotes.</returns>
    private static async Task<(long Closes, IReadOnlyList<LatestPrice> Quotes)> LoadPricesAsync(NpgsqlDataSource dataSource, DemoDataSize size)
    {
        const int AssetsPerBatch = 100;
        var store = new MarketDataStore(dataSource);
        var assets = await store.ListAssetsAsync(CancellationToken.None);
        var random = new Random(size.Seed + 1);
        var asOf = new DateTimeOffset(size.To.ToDateTime(new TimeOnly(21, 0)), TimeSpan.Zero);
        var latest = new List<LatestPrice>(assets.Count);
        var count = 0L;
        foreach (var batch in assets.Chunk(AssetsPerBatch))
        {
            var history = new List<DailyClose>();
            foreach (var asset in batch)
            {
                var price = random.Next(500, 50_000) / 100.0;
                var close = 0m;
                for (var day = size.From; day <= size.To; day = day.AddDays(1))
                {
                    if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                    {
                        continue;
                    }

                    price = Math.Max(0.01, price * (1 + (random.NextDouble() - 0.5) * 0.02));
                    close = Math.Round((decimal)price, 2);
                    history.Add(new DailyClose(asset.AssetId, day, close));
                }

                latest.Add(new LatestPrice(asset.AssetId, close, asset.Currency, asOf, "bench"));
            }

            count += await store.UpsertPriceHistoryAsync(history, CancellationToken.None);
        }

        await store.UpsertLatestPricesAsync(latest, CancellationToken.None);
        return (count, latest);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, string[]? assets = null)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (assets is not null)
        {
            command.Parameters.AddWithValue("assets", assets);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
