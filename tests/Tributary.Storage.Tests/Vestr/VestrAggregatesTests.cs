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

    [Fact]
    public async Task Refreshing_the_touched_days_after_random_batches_equals_a_full_rebuild_and_a_linq_computation()
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
            await db.Store.RefreshSnapshotsAsync([.. upsert.Touched.Select(t => t.ProductIsin).Distinct()], None);
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
