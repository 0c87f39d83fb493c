using Tributary.Storage.TrueLayer;
using static Tributary.Storage.Tests.TrueLayer.TrueLayerDatabase;

namespace Tributary.Storage.Tests.TrueLayer;

/// <summary><see cref="TrueLayerStore.CommitChunkAsync"/>: the upsert rules and the counts committed with the rows.</summary>
public sealed class ChunkCommitTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Guid JobA = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid JobB = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002");

    [Fact]
    public async Task A_first_import_inserts_every_row_and_stores_its_fields()
    {
        await using var db = await CreateAsync("tl_chunk_first", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");

        var commit = await db.Store.CommitChunkAsync(JobA, "acc-1", [Tx("k1"), Tx("k2"), Tx("k3", pending: true)], None);

        Assert.Equal(new ChunkCommit(3, 0, 0), commit);
        var progress = await db.ProgressAsync(JobA, "acc-1");
        Assert.Equal((3, 0, 0), (progress.Synced, progress.Duplicates, progress.Settled));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions WHERE import_job_id = @j AND last_import_job_id = @j", ("j", JobA)));
        Assert.Equal(-12.5m, await db.ScalarAsync<decimal>("SELECT amount FROM truelayer_transactions WHERE dedup_key = 'k1'"));
        Assert.Equal(100.25m, await db.ScalarAsync<decimal>("SELECT running_balance FROM truelayer_transactions WHERE dedup_key = 'k1'"));
        Assert.Equal(["Shopping", "General"], await db.ScalarAsync<string[]>("SELECT transaction_classification FROM truelayer_transactions WHERE dedup_key = 'k1'"));
        Assert.Equal("tx-k2", await db.ScalarAsync<string>("SELECT raw->>'transaction_id' FROM truelayer_transactions WHERE dedup_key = 'k2'"));
        Assert.Equal(new DateTime(2024, 6, 1, 9, 30, 0, DateTimeKind.Utc),
            await db.ScalarAsync<DateTime>("SELECT booked_at FROM truelayer_transactions WHERE dedup_key = 'k2'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT pending FROM truelayer_transactions WHERE dedup_key = 'k3'"));
    }

    [Fact]
    public async Task Re_importing_the_same_range_in_another_job_counts_every_row_as_a_duplicate()
    {
        await using var db = await CreateAsync("tl_chunk_reimport", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");
        await db.StartJobAsync(JobB, "acc-1");
        TransactionRow[] rows = [Tx("k1"), Tx("k2"), Tx("k3"), Tx("k4")];
        await db.Store.CommitChunkAsync(JobA, "acc-1", rows, None);

        var again = await db.Store.CommitChunkAsync(JobB, "acc-1", rows, None);

        Assert.Equal(new ChunkCommit(0, 4, 0), again);
        var progress = await db.ProgressAsync(JobB, "acc-1");
        Assert.Equal((0, 4, 0), (progress.Synced, progress.Duplicates, progress.Settled));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
        // First stored by A, last seen by B.
        Assert.Equal(4L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM truelayer_transactions WHERE import_job_id = @a AND last_import_job_id = @b", ("a", JobA), ("b", JobB)));
    }

    [Fact]
    public async Task The_same_job_committing_a_chunk_again_counts_nothing_twice()
    {
        await using var db = await CreateAsync("tl_chunk_rerun", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");
        TransactionRow[] rows = [Tx("k1"), Tx("k2", pending: true), Tx("k3")];
        var first = await db.Store.CommitChunkAsync(JobA, "acc-1", rows, None);

        // A crash after the commit: the worker re-runs the chunk (which now also holds a row that arrived since), then once more.
        var rerun = await db.Store.CommitChunkAsync(JobA, "acc-1", [.. rows, Tx("k4")], None);
        var rerunAgain = await db.Store.CommitChunkAsync(JobA, "acc-1", rows, None);

        Assert.Equal(new ChunkCommit(3, 0, 0), first);
        Assert.Equal(new ChunkCommit(1, 0, 0), rerun);
        Assert.Equal(new ChunkCommit(0, 0, 0), rerunAgain);
        var progress = await db.ProgressAsync(JobA, "acc-1");
        Assert.Equal((4, 0, 0), (progress.Synced, progress.Duplicates, progress.Settled));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
    }

    [Fact]
    public async Task A_pending_row_that_settles_is_replaced_in_place_and_counted_settled_once()
    {
        await using var db = await CreateAsync("tl_chunk_settle", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");
        await db.StartJobAsync(JobB, "acc-1");
        await db.Store.CommitChunkAsync(JobA, "acc-1", [Tx("k1", pending: true, transactionId: "pending-1", amount: -9.99m)], None);
        var firstId = await db.ScalarAsync<long>("SELECT id FROM truelayer_transactions");

        var settle = await db.Store.CommitChunkAsync(JobB, "acc-1", [Tx("k1", pending: false, transactionId: "settled-1", amount: -10.49m)], None);

        Assert.Equal(new ChunkCommit(0, 1, 1), settle);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal(firstId, await db.ScalarAsync<long>("SELECT id FROM truelayer_transactions"));
        Assert.Equal("settled-1", await db.ScalarAsync<string>("SELECT transaction_id FROM truelayer_transactions"));
        Assert.Equal(-10.49m, await db.ScalarAsync<decimal>("SELECT amount FROM truelayer_transactions"));
        Assert.False(await db.ScalarAsync<bool>("SELECT pending FROM truelayer_transactions"));
        Assert.Equal(JobA, await db.ScalarAsync<Guid>("SELECT import_job_id FROM truelayer_transactions"));
        Assert.Equal(JobB, await db.ScalarAsync<Guid>("SELECT last_import_job_id FROM truelayer_transactions"));
        var progress = await db.ProgressAsync(JobB, "acc-1");
        Assert.Equal((0, 1, 1), (progress.Synced, progress.Duplicates, progress.Settled));
    }

    [Fact]
    public async Task A_pending_row_arriving_after_the_settled_one_changes_nothing_but_the_last_job()
    {
        await using var db = await CreateAsync("tl_chunk_late_pending", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");
        await db.StartJobAsync(JobB, "acc-1");
        await db.Store.CommitChunkAsync(JobA, "acc-1", [Tx("k1", pending: false, transactionId: "settled-1", amount: -10.49m)], None);
        var updatedAt = await db.ScalarAsync<DateTime>("SELECT updated_at FROM truelayer_transactions");

        var late = await db.Store.CommitChunkAsync(JobB, "acc-1", [Tx("k1", pending: true, transactionId: "pending-1", amount: -9.99m)], None);

        Assert.Equal(new ChunkCommit(0, 1, 0), late);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal("settled-1", await db.ScalarAsync<string>("SELECT transaction_id FROM truelayer_transactions"));
        Assert.Equal(-10.49m, await db.ScalarAsync<decimal>("SELECT amount FROM truelayer_transactions"));
        Assert.False(await db.ScalarAsync<bool>("SELECT pending FROM truelayer_transactions"));
        Assert.Equal("settled-1", await db.ScalarAsync<string>("SELECT raw->>'transaction_id' FROM truelayer_transactions"));
        Assert.Equal(updatedAt, await db.ScalarAsync<DateTime>("SELECT updated_at FROM truelayer_transactions"));
        Assert.Equal(JobA, await db.ScalarAsync<Guid>("SELECT import_job_id FROM truelayer_transactions"));
        Assert.Equal(JobB, await db.ScalarAsync<Guid>("SELECT last_import_job_id FROM truelayer_transactions"));
    }

    [Fact]
    public async Task Rows_of_one_chunk_with_the_same_key_collapse_settled_first_else_the_last()
    {
        await using var db = await CreateAsync("tl_chunk_internal", "acc-1");
        await db.StartJobAsync(JobA, "acc-1");

        var commit = await db.Store.CommitChunkAsync(JobA, "acc-1",
        [
            Tx("settles", pending: true, transactionId: "p-1"),
            Tx("settles", pending: false, transactionId: "s-1"),
            Tx("settled-first", pending: false, transactionId: "s-2"),
            Tx("settled-first", pending: true, transactionId: "p-2"),
            Tx("twice", transactionId: "first", amount: -1m),
            Tx("twice", transactionId: "last", amount: -2m),
        ], None);

        Assert.Equal(new ChunkCommit(3, 0, 0), commit);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal("s-1", await db.ScalarAsync<string>("SELECT transaction_id FROM truelayer_transactions WHERE dedup_key = 'settles'"));
        Assert.Equal("s-2", await db.ScalarAsync<string>("SELECT transaction_id FROM truelayer_transactions WHERE dedup_key = 'settled-first'"));
        Assert.Equal("last", await db.ScalarAsync<string>("SELECT transaction_id FROM truelayer_transactions WHERE dedup_key = 'twice'"));
        Assert.Equal(-2m, await db.ScalarAsync<decimal>("SELECT amount FROM truelayer_transactions WHERE dedup_key = 'twice'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions WHERE pending"));
        Assert.Equal(3, (await db.ProgressAsync(JobA, "acc-1")).Synced);
    }

    [Fact]
    public async Task The_progress_counters_are_the_sums_of_the_commits_and_the_view_rolls_them_up()
    {
        await using var db = await CreateAsync("tl_chunk_counters", "acc-1", "acc-2");
        await db.StartJobAsync(JobA, "acc-1", "acc-2");
        await db.Store.CommitChunkAsync(JobA, "acc-1", [Tx("a1", pending: true), Tx("a2", pending: true), Tx("a3")], None);
        await db.StartJobAsync(JobB, "acc-1", "acc-2");

        ChunkCommit[] commits =
        [
            await db.Store.CommitChunkAsync(JobB, "acc-1", [Tx("a1"), Tx("a2", pending: true), Tx("a4")], None),
            await db.Store.CommitChunkAsync(JobB, "acc-1", [Tx("a2"), Tx("a3"), Tx("a5"), Tx("a6")], None),
            await db.Store.CommitChunkAsync(JobB, "acc-2", [Tx("b1"), Tx("b2")], None),
            await db.Store.CommitChunkAsync(JobB, "acc-2", [Tx("b2"), Tx("b3")], None),
        ];

        Assert.Equal(new ChunkCommit(1, 2, 1), commits[0]);
        // a2 was last seen by B in the chunk before (still pending then): neither a duplicate nor settled again.
        Assert.Equal(new ChunkCommit(2, 1, 0), commits[1]);
        Assert.Equal(new ChunkCommit(2, 0, 0), commits[2]);
        Assert.Equal(new ChunkCommit(1, 0, 0), commits[3]);
        var acc1 = await db.ProgressAsync(JobB, "acc-1");
        var acc2 = await db.ProgressAsync(JobB, "acc-2");
        Assert.Equal((3, 3, 1), (acc1.Synced, acc1.Duplicates, acc1.Settled));
        Assert.Equal((3, 0, 0), (acc2.Synced, acc2.Duplicates, acc2.Settled));
        var job = await db.Store.GetImportJobAsync(JobB, None);
        Assert.NotNull(job);
        Assert.Equal((6L, 3L, 1L, 0L), (job.Synced, job.Duplicates, job.Settled, job.Errors));
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions WHERE pending"));
    }

    [Fact]
    public async Task A_chunk_for_an_account_without_progress_stores_nothing_and_says_why()
    {
        await using var db = await CreateAsync("tl_chunk_no_progress", "acc-1", "acc-2");
        await db.StartJobAsync(JobA, "acc-1");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Store.CommitChunkAsync(JobA, "acc-2", [Tx("k1")], None));

        Assert.Equal(
            $"Import job {JobA} has no progress row for account acc-2, so the chunk was not stored: " +
            "create the job with the account or start the account (StartAccountAsync) before committing its transactions.",
            failure.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM truelayer_transactions"));
    }
}
