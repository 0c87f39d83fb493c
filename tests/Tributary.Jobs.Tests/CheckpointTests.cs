using System.Text.Json.Nodes;
using Npgsql;
using Tributary.Storage.Events;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>
/// A batch's checkpoint (its row, the run's progress, the dead letter, the event) is one round trip and one implicit
/// transaction: it commits whole, or, for a batch that was never claimed, not at all.
/// </summary>
public sealed class CheckpointTests
{
    // pg_locks covers the whole server, where tests running beside this one hold advisory locks in their own databases.
    private const string AdvisoryLocksHere =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    [Fact]
    public async Task A_claimed_batch_commits_its_row_the_runs_progress_and_its_event_together()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_ok");
        await using var _ = dataSource;
        await store.ClaimBatchAsync(run.RunId, 0, 0, 2, CancellationToken.None);

        await store.CompleteBatchAsync(run.RunId, 0, 2, 1, TimeSpan.FromMilliseconds(12), Progress(run.RunId), CancellationToken.None, """{"rows":2}""");

        var batch = Assert.Single(await store.GetBatchesAsync(run.RunId, CancellationToken.None));
        Assert.Equal((JobBatchRecord.Succeeded, 2, 1, (int?)12), (batch.Status, batch.ItemsProcessed, batch.Attempts, batch.DurationMs));
        var progress = await store.GetRunAsync(run.RunId, CancellationToken.None);
        Assert.Equal((1, 0, 2), (progress!.TotalBatches, progress.FailedBatches, progress.ItemsProcessed));
        Assert.Equal(1L, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));
        Assert.Equal(0L, await CountAsync(dataSource, AdvisoryLocksHere));
    }

    [Fact]
    public async Task Completing_a_batch_never_claimed_fails_and_writes_nothing()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_unclaimed");
        await using var _ = dataSource;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.CompleteBatchAsync(run.RunId, 3, 2, 1, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None));

        Assert.Equal($"Batch 3 of run {run.RunId} was never claimed.", error.Message);
        Assert.Empty(await store.GetBatchesAsync(run.RunId, CancellationToken.None));
        Assert.Equal(0L, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));
        Assert.Equal(0, (await store.GetRunAsync(run.RunId, CancellationToken.None))!.ItemsProcessed);
    }

    [Fact]
    public async Task A_checkpoint_whose_event_fails_to_append_leaves_the_batch_and_the_run_as_they_were()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_atomic");
        await using var _ = dataSource;
        await store.ClaimBatchAsync(run.RunId, 0, 0, 2, CancellationToken.None);
        await store.ClaimBatchAsync(run.RunId, 1, 2, 2, CancellationToken.None);
        var first = Progress(run.RunId);
        await store.CompleteBatchAsync(run.RunId, 0, 2, 1, TimeSpan.Zero, first, CancellationToken.None);

        // The same event id again: the outbox insert, after the batch's row and the run's progress were updated in the
        // same round trip, violates event_id's uniqueness, and the implicit transaction takes those updates back.
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            store.CompleteBatchAsync(run.RunId, 1, 2, 1, TimeSpan.Zero, Progress(run.RunId) with { Id = first.Id }, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        var batches = await store.GetBatchesAsync(run.RunId, CancellationToken.None);
        Assert.Equal([JobBatchRecord.Succeeded, JobBatchRecord.Running], batches.OrderBy(b => b.BatchIndex).Select(b => b.Status));
        var progress = await store.GetRunAsync(run.RunId, CancellationToken.None);
        Assert.Equal((1, 2), (progress!.TotalBatches, progress.ItemsProcessed));
        Assert.Equal(1L, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));
        Assert.Equal(0L, await CountAsync(dataSource, AdvisoryLocksHere));
    }

    [Fact]
    public async Task Dead_lettering_a_batch_never_claimed_fails_and_stores_no_letter_and_no_event()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_unclaimed_letter");
        await using var _ = dataSource;
        await store.ClaimBatchAsync(run.RunId, 0, 0, 2, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.DeadLetterBatchAsync(run, 1, ["c", "d"], "upstream said no", 3, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None));
        Assert.Equal($"Batch 1 of run {run.RunId} was never claimed.", error.Message);
        Assert.Equal(0L, await CountAsync(dataSource, "SELECT count(*) FROM job_dead_letters"));
        Assert.Equal(0L, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));

        // The claimed batch is dead-lettered with its letter and event, all at once.
        await store.DeadLetterBatchAsync(run, 0, ["a", "b"], "upstream said no", 3, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None);
        var letter = Assert.Single(await store.ListDeadLettersAsync(run.Job, includeReplayed: false, 10, CancellationToken.None));
        Assert.Equal((0, "upstream said no", 3), (letter.BatchIndex, letter.Error, letter.Attempts));
        Assert.Equal(["a", "b"], letter.Items);
        Assert.Equal(1, (await store.GetRunAsync(run.RunId, CancellationToken.None))!.FailedBatches);
        Assert.Equal(1L, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));
    }

    [Fact]
    public async Task A_batch_ended_twice_counts_once_in_its_runs_progress()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_twice");
        await using var _ = dataSource;
        await store.ClaimBatchesAsync(run.RunId, [(0, 0, 2), (1, 2, 2)], CancellationToken.None);
        await store.CompleteBatchAsync(run.RunId, 0, 2, 1, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None);

        // A second end of the same batch (another activation that ran it too) replaces its row; the totals move by the difference.
        await store.CompleteBatchAsync(run.RunId, 0, 1, 2, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None);
        Assert.Equal((1, 0, 1), Totals(await store.GetRunAsync(run.RunId, CancellationToken.None)));

        await store.DeadLetterBatchAsync(run, 1, ["c", "d"], "upstream said no", 3, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None);
        Assert.Equal((2, 1, 1), Totals(await store.GetRunAsync(run.RunId, CancellationToken.None)));
    }

    [Fact]
    public async Task Batches_of_a_run_ending_at_the_same_time_are_all_counted_in_its_progress()
    {
        var (dataSource, store, run) = await StartAsync("checkpoint_concurrent");
        await using var _ = dataSource;
        const int Batches = 24;
        var slices = Enumerable.Range(0, Batches).Select(i => (i, i, 1)).ToList();
        await store.ClaimBatchesAsync(run.RunId, slices, CancellationToken.None);
        // Claiming again changes nothing: a claim is idempotent.
        await store.ClaimBatchesAsync(run.RunId, slices.Take(3).ToList(), CancellationToken.None);
        Assert.Equal(Batches, (await store.GetBatchesAsync(run.RunId, CancellationToken.None)).Count(b => b.Status == JobBatchRecord.Running));

        await Task.WhenAll(Enumerable.Range(0, Batches).Select(i => Task.Run(() =>
            store.CompleteBatchAsync(run.RunId, i, i + 1, 1, TimeSpan.Zero, Progress(run.RunId), CancellationToken.None))));

        // Every batch moved the totals under the run row's lock: none lost another's count.
        Assert.Equal((Batches, 0, Batches * (Batches + 1) / 2), Totals(await store.GetRunAsync(run.RunId, CancellationToken.None)));
        Assert.Equal((long)Batches, await CountAsync(dataSource, "SELECT count(*) FROM event_outbox"));
    }

    private static (int Total, int Failed, int Items) Totals(JobRunRecord? run) =>
        run is null ? throw new InvalidOperationException("The run is gone.") : (run.TotalBatches, run.FailedBatches, run.ItemsProcessed);

    private static async Task<(NpgsqlDataSource DataSource, JobRunStore Store, JobRunRecord Run)> StartAsync(string purpose)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync(purpose);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new JobRunStore(dataSource);
        var (run, created) = await store.CreateRunAsync(
            new NewRun(Guid.NewGuid(), "test_checkpoint", RunTrigger.Manual, null, new Dictionary<string, string>(), null, null, ["a", "b", "c", "d"], 2),
            CancellationToken.None);
        Assert.True(created);
        return (dataSource, store, run);
    }

    private static OutboxEvent Progress(Guid runId) =>
        new("tributary.job.batch.completed", "/jobs/test_checkpoint", runId.ToString(), "test_checkpoint", DateTimeOffset.UnixEpoch, new JsonObject { ["runId"] = runId.ToString() });

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
