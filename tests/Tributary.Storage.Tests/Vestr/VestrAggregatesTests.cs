using Tributary.Storage.Vestr;
using static Tributary.Storage.Tests.Vestr.VestrDatabase;

namespace Tributary.Storage.Tests.Vestr;

/// <summary>
/// <see cref="VestrFeeStore"/>'s summaries, totals and snapshots: a refresh of the touched days equals a full rebuild,
/// and both equal a LINQ computation over the records, to the cent and per currency.
/// </summary>
public sealed class VestrAggregatesTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Isins = ["CH0000000001", "CH0000000002", "CH0000000003", "LI0000000004", "DE0000000005"];
    private static readonly string[] Currencies = ["CHF", "EUR", "USD"];
    private static readonly DateOnly Start = new(2024, 1, 20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refreshing_the_touched_days_after_random_batches_equals_a_full_rebuild_and_a_linq_computation(bool snapshotsFromTouchedDays)
    {
        await using var db = await CreateAsync("vestr_refresh_equals_rebuild");
        var random = new Random(20_240_313);
        var stored = new Dictionary<string, FeeRecordRow>(StringComparer.Ordinal);
        var next = 0;

        for (var round = 0; round < 12; round++)
        {
            var batch = new List<FeeRecordRow>();
            for (var i = random.Next(5, 40); i > 0; i--)
            {
                batch.Add(RandomRow(random, $"fee-{next++:D5}"));
            }

            // Corrections of stored rows: amounts, dates (across a month end), products, currencies, types, quantities, names.
            foreach (var id in stored.Keys.OrderBy(_ => random.Next()).Take(random.Next(0, 15)).ToList())
            {
                var old = stored[id];
                batch.Add((random.Next(7)) switch
                {
                    0 => old with { Amount = old.Amount + 0.01m },
                    1 => old with { BookingDate = old.BookingDate.AddDays(random.Next(-20, 21)) },
                    2 => old with { ProductIsin = Isins[random.Next(Isins.Length)] },
                    3 => old with { Currency = Currencies[random.Next(Currencies.Length)] },
                    4 => old with { FeeType = FeeTypes.All[random.Next(3)] },
                    5 => old with { OutstandingQuantity = random.Next(2) == 0 ? null : random.Next(1, 1_000_000) / 1_000m },
                    _ => old,
                });
            }

            var upsert = await db.Store.UpsertAsync(SyncId, batch, None);
            foreach (var row in batch)
            {
                stored[row.Id] = row;
            }

            await db.Store.RefreshAggregatesAsync(upsert.Touched, None);
            if (snapshotsFromTouchedDays)
            {
                await db.Store.RefreshSnapshotsAsync(upsert.Touched, None);
            }
            else
            {
                await db.Store.RefreshSnapshotsAsync([.. upsert.Touched.Select(t => t.ProductIsin).Distinct()], None);
            }
        }

        var refreshed = await db.DerivedRowsAsync();
        await db.Store.RebuildAllAggregatesAsync(None);
        await db.Store.RebuildAllSnapshotsAsync(None);
        var rebuilt = await db.DerivedRowsAsync();

        Assert.Equal(4, rebuilt.Count);
        Assert.All(rebuilt, table => Assert.NotEmpty(table));
        for (var table = 0; table < rebuilt.Count; table++)
        {
            Assert.Equal(rebuilt[table], refreshed[table]);
        }

        await AssertEqualsLinqAsync(db.Store, [.. stored.Values]);
    }

    [Fact]
    public async Task Two_currencies_of_one_product_are_summed_apart()
    {
        await using var db = await CreateAsync("vestr_currencies");
        var upsert = await db.Store.UpsertAsync(SyncId,
        [
            Fee("a", new DateOnly(2024, 5, 1), 10.01m, currency: "CHF"),
            Fee("b", new DateOnly(2024, 5, 1), 20.02m, currency: "EUR"),
            Fee("c", new DateOnly(2024, 5, 2), 0.03m, currency: "CHF", type: FeeTypes.Custody),
            Fee("d", new DateOnly(2024, 6, 30), 100m, currency: "EUR", type: FeeTypes.Performance),
        ], None);

        await db.Store.RefreshAggregatesAsync(upsert.Touched, None);

        Assert.Equal(
        [
            new FeeSummary(new DateOnly(2024, 5, 1), "CH0000000001", FeeTypes.Custody, "CHF", 0.03m, 1),
            new FeeSummary(new DateOnly(2024, 5, 1), "CH0000000001", FeeTypes.Management, "CHF", 10.01m, 1),
            new FeeSummary(new DateOnly(2024, 5, 1), "CH0000000001", FeeTypes.Management, "EUR", 20.02m, 1),
            new FeeSummary(new DateOnly(2024, 6, 1), "CH0000000001", FeeTypes.Performance, "EUR", 100m, 1),
        ], await db.Store.MonthlySummariesAsync("CH0000000001", new DateOnly(2024, 5, 15), null, None));
        Assert.Equal(
        [
            new ProductTotal("CH0000000001", "CHF", "Alpha AMC", 10.04m, 10.01m, 0m, 0.03m, 2, new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 2)),
            new ProductTotal("CH0000000001", "EUR", "Alpha AMC", 120.02m, 20.02m, 100m, 0m, 2, new DateOnly(2024, 5, 1), new DateOnly(2024, 6, 30)),
        ], await db.Store.ProductTotalsAsync(None));
        Assert.Equal([new FeeSummary(new DateOnly(2024, 5, 2), "CH0000000001", FeeTypes.Custody, "CHF", 0.03m, 1)],
            await db.Store.DailySummariesAsync(null, new DateOnly(2024, 5, 2), new DateOnly(2024, 6, 29), None));
    }

    [Fact]
    public async Task Refreshing_twice_gives_the_same_rows_and_a_day_left_without_records_disappears()
    {
        await using var db = await CreateAsync("vestr_idempotent");
        var first = await db.Store.UpsertAsync(SyncId,
            [Fee("a", new DateOnly(2024, 5, 31), 1.5m), Fee("b", new DateOnly(2024, 5, 31), 2.25m, isin: "CH0000000002")], None);
        await db.Store.RefreshAggregatesAsync(first.Touched, None);
        await db.Store.RefreshSnapshotsAsync(["CH0000000001", "CH0000000002"], None);

        var moved = await db.Store.UpsertAsync(SyncId, [Fee("b", new DateOnly(2024, 6, 1), 2.25m)], None);
        await db.Store.RefreshAggregatesAsync(moved.Touched, None);
        await db.Store.RefreshSnapshotsAsync([.. moved.Touched.Select(t => t.ProductIsin)], None);
        var once = await db.DerivedRowsAsync();
        await db.Store.RefreshAggregatesAsync(moved.Touched, None);
        await db.Store.RefreshSnapshotsAsync([.. moved.Touched.Select(t => t.ProductIsin)], None);
        var twice = await db.DerivedRowsAsync();

        Assert.Equal(once, twice);
        Assert.Equal(["CH0000000001"], (await db.Store.ProductTotalsAsync(None)).Select(t => t.ProductIsin));
        Assert.Equal(["CH0000000001"], (await db.Store.ListSnapshotsAsync(None)).Select(s => s.ProductIsin));
        Assert.Equal([(new DateOnly(2024, 5, 31), 1.5m), (new DateOnly(2024, 6, 1), 2.25m)],
            (await db.Store.DailySummariesAsync(null, null, null, None)).Select(s => (s.Period, s.TotalAmount)));
        await AssertEqualsLinqAsync(db.Store, [Fee("a", new DateOnly(2024, 5, 31), 1.5m), Fee("b", new DateOnly(2024, 6, 1), 2.25m)]);
    }

    [Fact]
    public async Task A_refresh_by_difference_gives_what_a_rebuild_gives_when_a_type_empties_and_the_first_and_last_days_move()
    {
        await using var db = await CreateAsync("vestr_difference_edges");
        DateOnly Day(int d) => new(2024, 5, d);
        var first = await db.Store.UpsertAsync(SyncId,
        [
            Fee("a", Day(1), 10.0001m), Fee("b", Day(10), 5m, type: FeeTypes.Performance), Fee("c", Day(20), -5m, type: FeeTypes.Performance),
            Fee("d", Day(31), 1m, name: "Beta"), Fee("e", Day(15), 2m, currency: "EUR", name: null),
        ], None);
        await db.Store.RefreshAggregatesAsync(first.Touched, None);
        await db.Store.RefreshSnapshotsAsync(first.Touched, None);

        // The performance fees go (one to another type, one to another product), the first and the last record move
        // inwards, the latest named record loses its name: nothing of that can be told from the touched days alone.
        var second = await db.Store.UpsertAsync(SyncId,
        [
            Fee("a", Day(5), 10.0001m), Fee("b", Day(10), 5m, type: FeeTypes.Custody), Fee("c", Day(20), -5m, type: FeeTypes.Performance, isin: "CH0000000002"),
            Fee("d", Day(12), 1m, name: null),
        ], None);
        await db.Store.RefreshAggregatesAsync(second.Touched, None);
        await db.Store.RefreshSnapshotsAsync(second.Touched, None);
        var refreshed = await db.DerivedRowsAsync();
        await db.Store.RebuildAllAggregatesAsync(None);
        await db.Store.RebuildAllSnapshotsAsync(None);

        Assert.Equal(await db.DerivedRowsAsync(), refreshed);
        Assert.Contains("(CH0000000001,CHF,\"Alpha AMC\",16.0001,11.0001,0,5.0000,3,2024-05-05,2024-05-12)", refreshed[2]);
    }

    [Fact]
    public async Task The_day_a_record_left_is_owed_a_refresh_until_a_refresh_or_a_rebuild_recomputes_it()
    {
        await using var db = await CreateAsync("vestr_moved_days");
        DateOnly Day(int d) => new(2024, 5, d);
        var first = await db.Store.UpsertAsync(SyncId, [Fee("a", Day(1), 1m), Fee("b", Day(2), 2m), Fee("c", Day(3), 3m)], None);
        await db.Store.RefreshAggregatesAsync(first.Touched, None);
        Assert.Empty(await db.Store.MovedDaysAsync(None));

        // "a" moves to another product, "b" to another day, "c" changes its amount only: two days are left, one is not.
        await db.Store.UpsertAsync(SyncId, [Fee("a", Day(1), 1m, isin: "CH0000000002"), Fee("b", Day(4), 2m), Fee("c", Day(3), 3.5m)], None);
        Assert.Equal([new TouchedDay("CH0000000001", Day(1)), new TouchedDay("CH0000000001", Day(2))], await db.Store.MovedDaysAsync(None));

        // A retried batch reads the rows unchanged: it reports nothing touched, and the days left are still owed.
        var retried = await db.Store.UpsertAsync(SyncId, [Fee("a", Day(1), 1m, isin: "CH0000000002"), Fee("b", Day(4), 2m), Fee("c", Day(3), 3.5m)], None);
        Assert.Equal((0, 0, 3), (retried.Inserted, retried.Updated, retried.Unchanged));
        Assert.Empty(retried.Touched);
        Assert.Equal(2, (await db.Store.MovedDaysAsync(None)).Count);

        // Refreshing what the batch read plus what is owed gives what a rebuild gives, and clears what it refreshed.
        await db.Store.RefreshAggregatesAsync(
            [new TouchedDay("CH0000000002", Day(1)), new TouchedDay("CH0000000001", Day(4)), new TouchedDay("CH0000000001", Day(3)),
             new TouchedDay("CH0000000001", Day(1))], None);
        Assert.Equal([new TouchedDay("CH0000000001", Day(2))], await db.Store.MovedDaysAsync(None));
        await db.Store.RefreshAggregatesAsync(await db.Store.MovedDaysAsync(None), None);
        Assert.Empty(await db.Store.MovedDaysAsync(None));
        var refreshed = await db.DerivedRowsAsync();
        await db.Store.RebuildAllAggregatesAsync(None);
        Assert.Equal((await db.DerivedRowsAsync()).Take(3), refreshed.Take(3));
        Assert.Equal([(Day(1), "CH0000000002", 1m), (Day(3), "CH0000000001", 3.5m), (Day(4), "CH0000000001", 2m)],
            (await db.Store.DailySummariesAsync(null, null, null, None)).Select(s => (s.Period, s.ProductIsin, s.TotalAmount)));

        // A rebuild recomputes every day, so it clears what is owed too.
        await db.Store.UpsertAsync(SyncId, [Fee("c", Day(5), 3.5m)], None);
        Assert.Equal([new TouchedDay("CH0000000001", Day(3))], await db.Store.MovedDaysAsync(None));
        await db.Store.RebuildAllAggregatesAsync(None);
        Assert.Empty(await db.Store.MovedDaysAsync(None));
    }

    [Fact]
    public async Task A_rebuild_leaves_the_tables_declared_as_the_migrations_declare_them()
    {
        await using var db = await CreateAsync("vestr_rebuild_schema");
        await db.Store.UpsertAsync(SyncId, [Fee("a", new DateOnly(2024, 5, 1), 1m)], None);
        const string Declaration =
            """
            SELECT c.relname, 'column ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
                || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || coalesce(co.collname, '')
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE c.relname = ANY(@tables)
            UNION ALL
            SELECT c.relname, 'constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
            FROM pg_class c JOIN pg_constraint k ON k.conrelid = c.oid WHERE c.relname = ANY(@tables)
            UNION ALL
            SELECT c.relname, 'index ' || pg_get_indexdef(i.indexrelid)
            FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid WHERE c.relname = ANY(@tables)
            UNION ALL
            SELECT c.relname, 'table ' || c.relkind::text || ' ' || c.relpersistence::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
                || ' ' || c.relnamespace::regnamespace || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, '')
            FROM pg_class c WHERE c.relname = ANY(@tables)
            ORDER BY 1, 2
            """;
        string[] tables = ["vestr_fee_daily_summaries", "vestr_fee_monthly_summaries", "vestr_fee_product_totals"];

        var migrated = await DeclarationAsync(db, Declaration, tables);
        await db.Store.RebuildAllAggregatesAsync(None);
        var rebuilt = await DeclarationAsync(db, Declaration, tables);
        await db.Store.RebuildAllAggregatesAsync(None);

        Assert.Equal(3, migrated.Count(line => line.Contains(": table ", StringComparison.Ordinal)));
        Assert.Equal(migrated, rebuilt);
        Assert.Equal(migrated, await DeclarationAsync(db, Declaration, tables));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'vestr_fee%rebuild%'"));
        Assert.Single(await db.Store.DailySummariesAsync(null, null, null, None));
    }

    private static async Task<List<string>> DeclarationAsync(VestrDatabase db, string sql, string[] tables)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tables", tables);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)}: {reader.GetString(1)}");
        }

        return lines;
    }

    private static FeeRecordRow RandomRow(Random random, string id) =>
        new(id, Start.AddDays(random.Next(60)), random.Next(-5_000, 5_000_000) / 10_000m, Currencies[random.Next(Currencies.Length)],
            FeeTypes.All[random.Next(3)], Isins[random.Next(Isins.Length)], random.Next(4) == 0 ? null : $"Product {random.Next(3)}",
            random.Next(3) == 0 ? null : random.Next(1, 10_000_000) / 1_000m);

    /// <summary>Summaries, totals and snapshots as the store returns them equal the same computed by LINQ over <paramref name="records"/>.</summary>
    private static async Task AssertEqualsLinqAsync(VestrFeeStore store, IReadOnlyList<FeeRecordRow> records)
    {
        static IEnumerable<FeeSummary> Summaries(IEnumerable<FeeRecordRow> rows, Func<DateOnly, DateOnly> period) =>
            rows.GroupBy(r => (Period: period(r.BookingDate), r.ProductIsin, r.FeeType, r.Currency))
                .Select(g => new FeeSummary(g.Key.Period, g.Key.ProductIsin, g.Key.FeeType, g.Key.Currency, g.Sum(r => r.Amount), g.Count()))
                .OrderBy(s => s.Period).ThenBy(s => s.ProductIsin, StringComparer.Ordinal).ThenBy(s => s.FeeType, StringComparer.Ordinal)
                .ThenBy(s => s.Currency, StringComparer.Ordinal);

        static FeeRecordRow? Latest(IEnumerable<FeeRecordRow> rows) =>
            rows.OrderByDescending(r => r.BookingDate).ThenByDescending(r => r.Id, StringComparer.Ordinal).FirstOrDefault();

        static LatestFee? AsFee(FeeRecordRow? row) => row is null ? null : new LatestFee(row.BookingDate, row.Amount, row.Currency);

        Assert.Equal(Summaries(records, d => d), await store.DailySummariesAsync(null, null, null, None));
        Assert.Equal(Summaries(records, d => new DateOnly(d.Year, d.Month, 1)), await store.MonthlySummariesAsync(null, null, null, None));

        var totals = records.GroupBy(r => (r.ProductIsin, r.Currency))
            .OrderBy(g => g.Key.ProductIsin, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new ProductTotal(g.Key.ProductIsin, g.Key.Currency,
                Latest(records.Where(r => r.ProductIsin == g.Key.ProductIsin && r.ProductName is not null))?.ProductName,
                g.Sum(r => r.Amount), g.Where(r => r.FeeType == FeeTypes.Management).Sum(r => r.Amount),
                g.Where(r => r.FeeType == FeeTypes.Performance).Sum(r => r.Amount), g.Where(r => r.FeeType == FeeTypes.Custody).Sum(r => r.Amount),
                g.Count(), g.Min(r => r.BookingDate), g.Max(r => r.BookingDate)));
        Assert.Equal(totals, await store.ProductTotalsAsync(None));

        var snapshots = records.GroupBy(r => r.ProductIsin).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var latest = Latest(g)!;
            var quantity = Latest(g.Where(r => r.OutstandingQuantity is not null));
            return (g.Key, Latest(g.Where(r => r.ProductName is not null))?.ProductName, AsFee(Latest(g.Where(r => r.FeeType == FeeTypes.Management))),
                AsFee(Latest(g.Where(r => r.FeeType == FeeTypes.Performance))), AsFee(Latest(g.Where(r => r.FeeType == FeeTypes.Custody))),
                AsFee(latest), latest.FeeType, quantity?.OutstandingQuantity, quantity?.BookingDate);
        });
        Assert.Equal(snapshots, (await store.ListSnapshotsAsync(None)).Select(s =>
            (s.ProductIsin, s.ProductName, s.Management, s.Performance, s.Custody, (LatestFee?)s.Latest, s.LatestType, s.OutstandingQuantity,
             s.OutstandingQuantityDate)));
    }
}
