using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Tributary.Storage;
using Tributary.Storage.Vestr;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>vestr-aggregates</c>: times <see cref="VestrFeeStore"/>'s full rebuild of summaries, totals and snapshots over a
/// generated data set (by default 1,000,000 fee records, 2,000 products, 3 years), and the refresh after one day's
/// new records, against <see cref="NaiveFeeAggregates"/> in the same run.
/// </summary>
internal static class VestrAggregatesBenchmark
{
    private const string Usage = "usage: vestr-aggregates [--records 1000000] [--products 2000] [--naive-products 100] [--keep]";
    private const double FullTargetSeconds = 3.0;
    private const double DayTargetSeconds = 0.2;
    private static readonly DateOnly First = new(2022, 1, 1);
    private static readonly DateOnly Last = new(2024, 12, 31);
    private static readonly string[] Currencies = ["CHF", "EUR", "USD", "GBP"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--records"] = 1_000_000,
            ["--products"] = 2_000,
            ["--naive-products"] = 100,
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

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_vestr");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0, MaxPoolSize = 20 }.ConnectionString);
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            return await RunAsync(dataSource, options["--records"], options["--products"], options["--naive-products"]);
        }
        finally
        {
            await BenchDatabase.ReleaseAsync(server, connectionString, keep);
        }
    }

    private static async Task<int> RunAsync(NpgsqlDataSource dataSource, int records, int products, int naiveProducts)
    {
        var store = new VestrFeeStore(dataSource);
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Loading {records:N0} fee records over {products:N0} products ({First:yyyy-MM-dd} to {Last:yyyy-MM-dd}) with binary COPY...");
        var copied = await CopyAsync(dataSource, Generate(records, products));
        var load = clock.Elapsed;
        clock.Restart();
        await ExecuteAsync(dataSource, "VACUUM ANALYZE");
        var vacuum = clock.Elapsed;
        Console.WriteLine($"Setup: {copied:N0} records copied in {load.TotalSeconds:0.0} s, VACUUM ANALYZE {vacuum.TotalSeconds:0.0} s.");

        // Warm-up: JIT, the connection pool and the buffer cache are costs of a fresh process, not of a sync in a silo that has been up.
        clock.Restart();
        await store.RebuildAllAggregatesAsync(CancellationToken.None);
        await store.RebuildAllSnapshotsAsync(CancellationToken.None);
        var warmUp = clock.Elapsed.TotalSeconds;

        clock.Restart();
        await store.RebuildAllAggregatesAsync(CancellationToken.None);
        var fullAggregates = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await store.RebuildAllSnapshotsAsync(CancellationToken.None);
        var fullSnapshots = clock.Elapsed.TotalSeconds;
        var derivedRows = await DerivedRowCountAsync(dataSource);

        // One day's new records, as a sync stores them, then the refresh of what they touched.
        var syncId = Guid.Parse("5e3a8f4e-0000-4000-8000-00000000be4c");
        var newDay = Last.AddDays(1);
        var dayRecords = NewDay(products, newDay).ToList();
        await store.StartSyncAsync(syncId, newDay, newDay, false, DateTimeOffset.UtcNow, CancellationToken.None);
        clock.Restart();
        var upsert = await store.UpsertAsync(syncId, dayRecords, CancellationToken.None);
        var upsertSeconds = clock.Elapsed.TotalSeconds;
        var isins = upsert.Touched.Select(t => t.ProductIsin).Distinct(StringComparer.Ordinal).ToArray();
        clock.Restart();
        await store.RefreshAggregatesAsync(upsert.Touched, CancellationToken.None);
        var dayAggregates = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await store.RefreshSnapshotsAsync(upsert.Touched, CancellationToken.None);
        var daySnapshots = clock.Elapsed.TotalSeconds;

        // For comparison, not in the target: the same snapshots from all the products' records (what a caller without
        // the touched days gets). Changes nothing after the refresh above, but reads as much.
        clock.Restart();
        await store.RefreshSnapshotsAsync(isins, CancellationToken.None);
        var daySnapshotsFromAllRecords = clock.Elapsed.TotalSeconds;
        await store.FinishSyncAsync(syncId, FeeSyncStatus.Succeeded, null, DateTimeOffset.UtcNow, CancellationToken.None);

        // The naive loop is far slower: time an evenly spread sample of products and scale by their share of the records.
        var naive = new NaiveFeeAggregates(dataSource);
        await naive.CreateTablesAsync();
        var allIsins = Enumerable.Range(0, products).Select(Isin).ToArray();
        var sample = allIsins.Where((_, i) => i % Math.Max(1, products / Math.Min(naiveProducts, products)) == 0).Take(naiveProducts).ToArray();
        var sampleRecords = await ScalarAsync(dataSource, "SELECT count(*) FROM vestr_fee_records WHERE product_isin = ANY(@isins)", sample);
        var totalRecords = await ScalarAsync(dataSource, "SELECT count(*) FROM vestr_fee_records");
        var scale = totalRecords / (double)sampleRecords;
        await TimeNaiveAsync(dataSource, sample[..Math.Min(3, sample.Length)], naive.ComputeAsync);
        var (naiveRows, naiveSeconds) = await TimeNaiveAsync(dataSource, sample, naive.ComputeAsync);
        var disagreements = 0L;
        foreach (var (table, naiveTable, columns) in Comparisons)
        {
            disagreements += await ScalarAsync(dataSource, Disagreements(table, naiveTable, columns), sample);
        }

        var naiveAll = naiveSeconds * scale;
        var full = fullAggregates + fullSnapshots;
        var day = dayAggregates + daySnapshots;
        Console.WriteLine();
        Console.WriteLine($"Vestr fee aggregates: {totalRecords:N0} records, {products:N0} products, {First:yyyy-MM-dd} to {newDay:yyyy-MM-dd}, " +
                          $"{Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| step | records read | rows written | seconds | target | speed-up vs naive |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("full rebuild: daily, monthly, product totals (`RebuildAllAggregatesAsync`)", copied, derivedRows.Aggregates, fullAggregates, null, naiveAll);
        Row("full rebuild: latest-fee snapshots (`RebuildAllSnapshotsAsync`)", copied, derivedRows.Snapshots, fullSnapshots, null, naiveAll);
        Row("**full rebuild, all**", copied, derivedRows.Aggregates + derivedRows.Snapshots, full, FullTargetSeconds, naiveAll);
        Row($"one day: upsert {dayRecords.Count:N0} new records (`UpsertAsync`, not in the target)", dayRecords.Count, upsert.Inserted, upsertSeconds, null, null);
        Row($"one day: refresh {upsert.Touched.Count:N0} touched days (`RefreshAggregatesAsync`)", null, null, dayAggregates, null, naiveAll);
        Row($"one day: refresh {isins.Length:N0} snapshots from the touched days (`RefreshSnapshotsAsync(touched)`)", null, null, daySnapshots, null, naiveAll);
        Row("**one day, refresh all**", null, null, day, DayTargetSeconds, naiveAll);
        Row($"one day: the same {isins.Length:N0} snapshots from all their records (`RefreshSnapshotsAsync(isins)`, not in the target)", null, null,
            daySnapshotsFromAllRecords, null, naiveAll);
        Row("naive: per product, select, compute in C#, delete + insert row by row *", totalRecords, (long)(naiveRows * scale), naiveAll, null, naiveAll);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"* naive: timed {sample.Length:N0} of {products:N0} products ({sampleRecords:N0} records, {naiveRows:N0} rows) in {naiveSeconds:0.00} s and extrapolated x{scale:0.0} by records."));
        Console.WriteLine("  It rebuilds everything of a product, so its figure is the same for a full rebuild and for one day of new records (every product has one).");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm-up pass (untimed in the table): {warmUp:0.00} s. Derived rows: {derivedRows.Aggregates:N0} summary and total rows, {derivedRows.Snapshots:N0} snapshots."));
        Console.WriteLine(disagreements == 0
            ? $"Check: the naive loop and VestrFeeStore agree on all {naiveRows:N0} sample rows (daily, monthly, totals, snapshots)."
            : $"Check FAILED: {disagreements} sample rows differ between the naive loop and VestrFeeStore.");
        return disagreements == 0 ? 0 : 1;
    }

    private static readonly (string Table, string Naive, string Columns)[] Comparisons =
    [
        ("vestr_fee_daily_summaries", "bench_naive_daily", "day, product_isin, fee_type, currency, total_amount, record_count"),
        ("vestr_fee_monthly_summaries", "bench_naive_monthly", "month, product_isin, fee_type, currency, total_amount, record_count"),
        ("vestr_fee_product_totals", "bench_naive_totals",
            "product_isin, currency, product_name, total_amount, management_total, performance_total, custody_total, record_count, first_booking_date, last_booking_date"),
        ("fee_latest_snapshot", "bench_naive_snapshot",
            "product_isin, product_name, management_fee_date, management_fee_amount, management_fee_currency, performance_fee_date, performance_fee_amount, " +
            "performance_fee_currency, custody_fee_date, custody_fee_amount, custody_fee_currency, latest_fee_date, latest_fee_type, latest_fee_amount, " +
            "latest_fee_currency, outstanding_quantity, outstanding_quantity_date"),
    ];

    /// <summary>Rows of the sample products on which the naive table and the store's differ, both ways.</summary>
    private static string Disagreements(string table, string naive, string columns)
    {
        var fast = $"SELECT {columns} FROM {table} WHERE product_isin = ANY(@isins)";
        var slow = $"SELECT {columns} FROM {naive}";
        return $"SELECT count(*) FROM (({fast} EXCEPT {slow}) UNION ALL ({slow} EXCEPT {fast})) d";
    }

    private static void Row(string step, long? records, long? rows, double seconds, double? target, double? naiveSeconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {step} | {(records is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "")} | " +
            $"{(rows is { } w ? w.ToString("N0", CultureInfo.InvariantCulture) : "")} | {seconds:0.000} | " +
            $"{(target is { } t ? $"<= {t:0.0} s {(seconds <= t ? "met" : "MISSED")}" : "")} | " +
            $"{(naiveSeconds is { } n ? $"{n / seconds:N0}x" : "")} |"));

    private static string Isin(int product) => $"CH{product:D10}";

    /// <summary>
    /// The data set, deterministic: each product's records spread evenly over the three years, mostly management fees
    /// (with the outstanding quantity on two in three), a custody fee in ten, a performance fee in twenty; each product
    /// books in one of four currencies, and every seventh books its custody fees in USD as well.
    /// </summary>
    private static IEnumerable<FeeRecordRow> Generate(int records, int products)
    {
        var span = Last.DayNumber - First.DayNumber + 1;
        for (var product = 0; product < products; product++)
        {
            var random = new Random(product);
            var isin = Isin(product);
            var count = records / products + (product < records % products ? 1 : 0);
            for (var k = 0; k < count; k++)
            {
                var type = (k % 20) switch { 19 => FeeTypes.Performance, 4 or 14 => FeeTypes.Custody, _ => FeeTypes.Management };
                var currency = type == FeeTypes.Custody && product % 7 == 0 && k % 20 == 14 ? "USD" : Currencies[product % Currencies.Length];
                yield return new FeeRecordRow(
                    $"{isin}-{k:D6}",
                    First.AddDays((int)((long)k * span / count)),
                    random.Next(100, 50_000_000) / 10_000m,
                    currency,
                    type,
                    isin,
                    k % 50 == 49 ? null : $"Product {product}",
                    type == FeeTypes.Management && k % 3 != 0 ? random.Next(1, 100_000_000) / 1_000m : null);
            }
        }
    }

    /// <summary>One day's new records: a management fee for every product, a custody fee for every fifth.</summary>
    private static IEnumerable<FeeRecordRow> NewDay(int products, DateOnly day)
    {
        var random = new Random(-1);
        for (var product = 0; product < products; product++)
        {
            var isin = Isin(product);
            var currency = Currencies[product % Currencies.Length];
            yield return new FeeRecordRow($"{isin}-{day:yyyyMMdd}-m", day, random.Next(100, 50_000_000) / 10_000m, currency, FeeTypes.Management, isin,
                $"Product {product}", random.Next(1, 100_000_000) / 1_000m);
            if (product % 5 == 0)
            {
                yield return new FeeRecordRow($"{isin}-{day:yyyyMMdd}-c", day, random.Next(100, 5_000_000) / 10_000m, currency, FeeTypes.Custody, isin,
                    $"Product {product}", null);
            }
        }
    }

    private static async Task<long> CopyAsync(NpgsqlDataSource dataSource, IEnumerable<FeeRecordRow> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY vestr_fee_records (id, booking_date, amount, currency, fee_type, product_isin, product_name, outstanding_quantity) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            importer.StartRow();
            importer.Write(row.Id, NpgsqlDbType.Text);
            importer.Write(row.BookingDate, NpgsqlDbType.Date);
            importer.Write(row.Amount, NpgsqlDbType.Numeric);
            importer.Write(row.Currency, NpgsqlDbType.Text);
            importer.Write(row.FeeType, NpgsqlDbType.Text);
            importer.Write(row.ProductIsin, NpgsqlDbType.Text);
            if (row.ProductName is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(row.ProductName, NpgsqlDbType.Text);
            }

            if (row.OutstandingQuantity is { } quantity)
            {
                importer.Write(quantity, NpgsqlDbType.Numeric);
            }
            else
            {
                importer.WriteNull();
            }
        }

        return (long)await importer.CompleteAsync();
    }

    private static async Task<(long Aggregates, long Snapshots)> DerivedRowCountAsync(NpgsqlDataSource dataSource) =>
        (await ScalarAsync(dataSource,
            "SELECT (SELECT count(*) FROM vestr_fee_daily_summaries) + (SELECT count(*) FROM vestr_fee_monthly_summaries) + " +
            "(SELECT count(*) FROM vestr_fee_product_totals)"),
         await ScalarAsync(dataSource, "SELECT count(*) FROM fee_latest_snapshot"));

    private static async Task<(long Rows, double Seconds)> TimeNaiveAsync(
        NpgsqlDataSource dataSource, string[] sample, Func<NpgsqlConnection, string, Task<int>> compute)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = 0L;
        var clock = Stopwatch.StartNew();
        foreach (var isin in sample)
        {
            rows += await compute(connection, isin);
        }

        return (rows, clock.Elapsed.TotalSeconds);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, string[]? isins = null)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (isins is not null)
        {
            command.Parameters.AddWithValue("isins", isins);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
