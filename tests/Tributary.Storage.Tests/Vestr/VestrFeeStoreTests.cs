using Tributary.Storage.Vestr;
using static Tributary.Storage.Tests.Vestr.VestrDatabase;

namespace Tributary.Storage.Tests.Vestr;

/// <summary><see cref="VestrFeeStore"/>: upserts and their counts, syncs, paging and snapshots.</summary>
public sealed class VestrFeeStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateOnly Day1 = new(2024, 3, 1);
    private static readonly DateOnly Day2 = new(2024, 3, 2);

    [Fact]
    public async Task Upserts_count_inserted_unchanged_and_updated_rows_and_name_the_days_they_touched()
    {
        await using var db = await CreateAsync("vestr_upsert_counts");
        FeeRecordRow[] rows = [Fee("f1", Day1, 10.0001m), Fee("f2", Day1, 20m, type: FeeTypes.Custody), Fee("f3", Day2, 30m, isin: "CH0000000002")];

        var inserted = await db.Store.UpsertAsync(SyncId, rows, None);
        var updatedAtBefore = await db.ScalarAsync<DateTime>("SELECT updated_at FROM vestr_fee_records WHERE id = 'f1'");
        var again = await db.Store.UpsertAsync(SyncId, rows, None);
        var updatedAtAfter = await db.ScalarAsync<DateTime>("SELECT updated_at FROM vestr_fee_records WHERE id = 'f1'");
        var corrected = await db.Store.UpsertAsync(SyncId, [rows[0] with { Amount = 10.0002m }, rows[1]], None);
        var moved = await db.Store.UpsertAsync(SyncId, [rows[2] with { BookingDate = Day1, ProductIsin = "CH0000000003" }], None);

        Assert.Equal((3, 0, 0), (inserted.Inserted, inserted.Updated, inserted.Unchanged));
        Assert.Equal([new TouchedDay("CH0000000001", Day1), new TouchedDay("CH0000000002", Day2)], inserted.Touched.Order(TouchedOrder.Instance));
        Assert.Equal((0, 0, 3), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Empty(again.Touched);
        Assert.Equal(updatedAtBefore, updatedAtAfter);
        Assert.Equal((0, 1, 1), (corrected.Inserted, corrected.Updated, corrected.Unchanged));
        Assert.Equal([new TouchedDay("CH0000000001", Day1)], corrected.Touched);
        Assert.Equal((0, 1, 0), (moved.Inserted, moved.Updated, moved.Unchanged));
        Assert.Equal([new TouchedDay("CH0000000002", Day2), new TouchedDay("CH0000000003", Day1)], moved.Touched.Order(TouchedOrder.Instance));
        Assert.Equal(10.0002m, await db.ScalarAsync<decimal>("SELECT amount FROM vestr_fee_records WHERE id = 'f1'"));

        var sync = await db.Store.GetSyncAsync(SyncId, None);
        Assert.NotNull(sync);
        Assert.Equal((9, 3, 2, 4), (sync.Records, sync.Inserted, sync.Updated, sync.Unchanged));
    }

    [Fact]
    public async Task Rows_with_the_same_id_in_one_call_collapse_to_the_last_and_an_unstarted_sync_stores_nothing()
    {
        await using var db = await CreateAsync("vestr_upsert_collapse");

        var upsert = await db.Store.UpsertAsync(SyncId, [Fee("f1", Day1, 1m), Fee("f1", Day2, 2m), Fee("f1", Day2, 3m, quantity: 5m)], None);
        var unknown = Guid.Parse("5e3a8f4e-0000-4000-8000-0000000000ff");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Store.UpsertAsync(unknown, [Fee("f9", Day1, 9m)], None));

        Assert.Equal((1, 0, 0), (upsert.Inserted, upsert.Updated, upsert.Unchanged));
        Assert.Equal([new TouchedDay("CH0000000001", Day2)], upsert.Touched);
        var page = await db.Store.ListFeesAsync(new FeeQuery(null, null, null, null, 10, null), None);
        var stored = Assert.Single(page.Items);
        Assert.Equal((Day2, 3m, 5m, (Guid?)SyncId), (stored.BookingDate, stored.Amount, stored.OutstandingQuantity, stored.SyncId));
        Assert.StartsWith($"Fee sync {unknown} has not been started", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM vestr_fee_records WHERE id = 'f9'"));
        Assert.Equal(1, (await db.Store.GetSyncAsync(SyncId, None))!.Records);
    }

    [Fact]
    public async Task Syncs_start_once_finish_with_an_outcome_and_the_last_succeeded_one_is_found()
    {
        await using var db = await CreateAsync("vestr_syncs");
        var second = Guid.Parse("5e3a8f4e-0000-4000-8000-000000000002");
        var third = Guid.Parse("5e3a8f4e-0000-4000-8000-000000000003");
        await db.Store.StartSyncAsync(SyncId, new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 2), true, Now.AddDays(5), None);
        await db.Store.StartSyncAsync(second, new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), true, Now.AddMinutes(10), None);
        await db.Store.StartSyncAsync(third, new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), false, Now.AddMinutes(20), None);

        var none = await db.Store.LastSucceededSyncAsync(None);
        await db.Store.FinishSyncAsync(SyncId, FeeSyncStatus.Succeeded, null, Now.AddMinutes(5), None);
        await db.Store.FinishSyncAsync(second, FeeSyncStatus.Succeeded, null, Now.AddMinutes(15), None);
        await db.Store.FinishSyncAsync(third, FeeSyncStatus.Failed, "Vestr answered 503 three times.", Now.AddMinutes(25), None);

        Assert.Null(none);
        var first = await db.Store.GetSyncAsync(SyncId, None);
        Assert.Equal(new FeeSyncStatus(SyncId, Now, Now.AddMinutes(5), new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), false, 0, 0, 0, 0,
            FeeSyncStatus.Succeeded, null), first);
        Assert.Equal(second, (await db.Store.LastSucceededSyncAsync(None))!.SyncId);
        Assert.Equal([third, second], (await db.Store.ListSyncsAsync(2, None)).Select(s => s.SyncId));
        var failed = await db.Store.GetSyncAsync(third, None);
        Assert.Equal((FeeSyncStatus.Failed, "Vestr answered 503 three times."), (failed!.Outcome, failed.Error));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Store.FinishSyncAsync(third, FeeSyncStatus.Running, null, Now, None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Store.FinishSyncAsync(Guid.NewGuid(), FeeSyncStatus.Failed, "x", Now, None));
        Assert.Null(await db.Store.GetSyncAsync(Guid.NewGuid(), None));
    }

    [Fact]
    public async Task Keyset_paging_returns_every_matching_row_once_in_booking_date_and_id_order()
    {
        await using var db = await CreateAsync("vestr_paging");
        var random = new Random(13);
        var rows = Enumerable.Range(0, 257).Select(i => Fee($"fee:{random.Next(1000):D4}:{i}", new DateOnly(2024, 1, 1).AddDays(random.Next(20)),
            random.Next(1, 100_000) / 100m, isin: $"CH{i % 3}", type: FeeTypes.All[i % 3])).ToList();
        await db.Store.UpsertAsync(SyncId, rows, None);

        var all = await ReadAllPagesAsync(db.Store, new FeeQuery(null, null, null, null, 10, null));
        var filtered = await ReadAllPagesAsync(db.Store, new FeeQuery("CH1", new DateOnly(2024, 1, 5), new DateOnly(2024, 1, 15), FeeTypes.Management, 7, null));

        Assert.Equal(rows.OrderBy(r => r.BookingDate).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), all.Select(r => r.Id));
        Assert.Equal(
            rows.Where(r => r.ProductIsin == "CH1" && r.BookingDate >= new DateOnly(2024, 1, 5) && r.BookingDate <= new DateOnly(2024, 1, 15)
                            && r.FeeType == FeeTypes.Management)
                .OrderBy(r => r.BookingDate).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id),
            filtered.Select(r => r.Id));
        Assert.NotEmpty(filtered);
        Assert.Equal(rows.Sum(r => r.Amount), all.Sum(r => r.Amount));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Store.ListFeesAsync(new FeeQuery(null, null, null, null, 10, "not-a-cursor"), None));
    }

    [Fact]
    public async Task A_snapshot_holds_the_latest_fee_of_each_type_and_of_any_and_the_latest_outstanding_quantity()
    {
        await using var db = await CreateAsync("vestr_snapshots");
        const string Isin = "CH0000000001";
        await db.Store.UpsertAsync(SyncId,
        [
            Fee("m1", new DateOnly(2024, 1, 31), 100.1234m, quantity: 1_000.5m),
            Fee("m2", new DateOnly(2024, 2, 29), 101m, quantity: 1_200.12345678m),
            Fee("m3", new DateOnly(2024, 3, 31), 102m, currency: "EUR", name: null),
            Fee("p1", new DateOnly(2024, 1, 15), 5_000m, type: FeeTypes.Performance, name: "Alpha AMC (old name)"),
            Fee("c1", new DateOnly(2024, 3, 31), 7.5m, type: FeeTypes.Custody, currency: "USD", name: "Alpha AMC II"),
            Fee("c0", new DateOnly(2024, 3, 31), 7.25m, type: FeeTypes.Custody, name: null),
            Fee("o1", new DateOnly(2024, 3, 1), 1m, isin: "CH0000000002", name: null),
        ], None);

        await db.Store.RebuildAllSnapshotsAsync(None);
        var snapshot = await db.Store.GetSnapshotAsync(Isin, None);
        var other = await db.Store.GetSnapshotAsync("CH0000000002", None);

        Assert.NotNull(snapshot);
        Assert.Equal(new LatestFee(new DateOnly(2024, 3, 31), 102m, "EUR"), snapshot.Management);
        Assert.Equal(new LatestFee(new DateOnly(2024, 1, 15), 5_000m, "CHF"), snapshot.Performance);
        // Two custody fees on one day: the greater id is the latest ("c1" > "c0"); "m3" > "c1" is the latest of any type.
        Assert.Equal(new LatestFee(new DateOnly(2024, 3, 31), 7.5m, "USD"), snapshot.Custody);
        Assert.Equal((new LatestFee(new DateOnly(2024, 3, 31), 102m, "EUR"), FeeTypes.Management), (snapshot.Latest, snapshot.LatestType));
        Assert.Equal((1_200.12345678m, (DateOnly?)new DateOnly(2024, 2, 29)), (snapshot.OutstandingQuantity, snapshot.OutstandingQuantityDate));
        Assert.Equal("Alpha AMC II", snapshot.ProductName);
        Assert.NotNull(other);
        Assert.Equal((null, null, null, null, (decimal?)null), (other.ProductName, other.Performance, other.Custody, other.OutstandingQuantityDate, other.OutstandingQuantity));
        Assert.Equal([Isin, "CH0000000002"], (await db.Store.ListSnapshotsAsync(None)).Select(s => s.ProductIsin));
        Assert.Null(await db.Store.GetSnapshotAsync("CH9", None));

        // The only record of the other product moves to the first: its snapshot goes, the first one's latest changes.
        var moved = await db.Store.UpsertAsync(SyncId, [Fee("o1", new DateOnly(2024, 4, 1), 1m, isin: Isin, type: FeeTypes.Custody, name: null)], None);
        await db.Store.RefreshSnapshotsAsync([.. moved.Touched.Select(t => t.ProductIsin)], None);

        Assert.Null(await db.Store.GetSnapshotAsync("CH0000000002", None));
        var refreshed = await db.Store.GetSnapshotAsync(Isin, None);
        Assert.Equal((new LatestFee(new DateOnly(2024, 4, 1), 1m, "CHF"), FeeTypes.Custody), (refreshed!.Latest, refreshed.LatestType));
        Assert.Equal(refreshed.Latest, refreshed.Custody);
    }

    private static async Task<List<FeeRecord>> ReadAllPagesAsync(VestrFeeStore store, FeeQuery query)
    {
        var rows = new List<FeeRecord>();
        var pages = 0;
        for (var page = await store.ListFeesAsync(query, None); ; page = await store.ListFeesAsync(query with { After = page.NextCursor }, None))
        {
            Assert.True(page.Items.Count <= query.Limit);
            rows.AddRange(page.Items);
            Assert.True(++pages < 1_000, "paging did not end");
            if (page.NextCursor is null)
            {
                return rows;
            }
        }
    }
}

/// <summary>Orders touched pairs by product, then day.</summary>
internal sealed class TouchedOrder : IComparer<TouchedDay>
{
    public static readonly TouchedOrder Instance = new();

    public int Compare(TouchedDay? x, TouchedDay? y) =>
        (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            _ => string.CompareOrdinal(x.ProductIsin, y.ProductIsin) is var c && c != 0 ? c : x.Day.CompareTo(y.Day),
        };
}
