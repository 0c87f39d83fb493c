using Tributary.Storage.TrueLayer;
using static Tributary.Storage.Tests.TrueLayer.TrueLayerDatabase;

namespace Tributary.Storage.Tests.TrueLayer;

/// <summary>The import job life cycle in <see cref="TrueLayerStore"/> and the <c>v_import_job_status</c> roll-up.</summary>
public sealed class ImportJobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_created_job_is_planned_with_a_pending_row_per_account_and_creating_it_again_changes_nothing()
    {
        await using var db = await CreateAsync("tl_job_create", "acc-1", "acc-2");
        var jobId = Guid.NewGuid();

        await db.Store.CreateImportJobAsync(Job(jobId, "acc-2", "acc-1"), None);
        await db.Store.CreateImportJobAsync(Job(jobId, "acc-2", "acc-1", "acc-3"), None);
        var job = await db.Store.GetImportJobAsync(jobId, None);
        var progress = await db.Store.GetProgressAsync(jobId, None);

        Assert.NotNull(job);
        Assert.Equal(
            new ImportJobStatus(jobId, Owner, ConnectionId, ImportJobStatus.Planned, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), job.AccountIds,
                true, 500, 4, false, 2, 1_200, 90, 1.2345m, null, null, Now, null, null, 2, 0, 0, 0, 0, 0, 0, 0, 0m),
            job);
        Assert.Equal(["acc-2", "acc-1"], job.AccountIds);
        Assert.Equal(["acc-1", "acc-2"], progress.Select(p => p.AccountId));
        Assert.All(progress, p => Assert.Equal(
            new ImportProgress(jobId, p.AccountId, ImportProgress.Pending, 0, 0, 0, 0, 0, 0, null, null, null, null, Now), p));
        Assert.Null(await db.Store.GetImportJobAsync(Guid.NewGuid(), None));
    }

    [Fact]
    public async Task Starting_an_import_is_idempotent_for_its_run_and_refused_for_another()
    {
        await using var db = await CreateAsync("tl_job_start", "acc-1");
        var jobId = Guid.NewGuid();
        var (run, otherRun) = (Guid.NewGuid(), Guid.NewGuid());
        await db.Store.CreateImportJobAsync(Job(jobId, "acc-1"), None);

        var started = await db.Store.MarkImportStartedAsync(jobId, run, Now.AddMinutes(1), None);
        var retried = await db.Store.MarkImportStartedAsync(jobId, run, Now.AddMinutes(2), None);
        var other = await db.Store.MarkImportStartedAsync(jobId, otherRun, Now.AddMinutes(3), None);
        var unknown = await db.Store.MarkImportStartedAsync(Guid.NewGuid(), run, Now, None);
        var running = await db.Store.GetImportJobAsync(jobId, None);
        await db.Store.FinishImportJobAsync(jobId, ImportJobStatus.Completed, null, Now.AddMinutes(10), None);
        await db.Store.FinishImportJobAsync(jobId, ImportJobStatus.Failed, "late failure", Now.AddMinutes(11), None);
        var afterFinish = await db.Store.MarkImportStartedAsync(jobId, run, Now.AddMinutes(12), None);
        var finished = await db.Store.GetImportJobAsync(jobId, None);

        Assert.Equal((true, true, false, false, false), (started, retried, other, unknown, afterFinish));
        Assert.Equal((ImportJobStatus.Running, (Guid?)run, (DateTimeOffset?)Now.AddMinutes(1)), (running!.Status, running.RunId, running.StartedAt));
        Assert.Equal((ImportJobStatus.Completed, (string?)null, (DateTimeOffset?)Now.AddMinutes(10), (DateTimeOffset?)Now.AddMinutes(1)),
            (finished!.Status, finished.Error, finished.FinishedAt, finished.StartedAt));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Store.FinishImportJobAsync(jobId, ImportJobStatus.Running, null, Now, None));
    }

    [Fact]
    public async Task A_resumed_account_keeps_its_cursor_which_only_moves_forward()
    {
        await using var db = await CreateAsync("tl_job_cursor", "acc-1");
        var jobId = Guid.NewGuid();
        await db.Store.CreateImportJobAsync(Job(jobId, "acc-1"), None);

        await db.Store.StartAccountAsync(jobId, "acc-1", 12, new DateOnly(2024, 1, 1), Now, None);
        await db.Store.CheckpointWindowAsync(jobId, "acc-1", new DateOnly(2024, 4, 1), 3, 1, "window 3 had 1 error", null, None);
        await db.Store.CheckpointWindowAsync(jobId, "acc-1", new DateOnly(2024, 2, 1), 1, 0, null, null, None);
        await db.Store.FinishAccountAsync(jobId, "acc-1", ImportProgress.Failed, "The bank answered 503 three times.", Now.AddMinutes(5), None);
        var failed = await db.ProgressAsync(jobId, "acc-1");
        await db.Store.StartAccountAsync(jobId, "acc-1", 12, new DateOnly(2024, 1, 1), Now.AddMinutes(10), None);
        var resumed = await db.ProgressAsync(jobId, "acc-1");
        await db.Store.FinishAccountAsync(jobId, "acc-1", ImportProgress.Completed, null, Now.AddMinutes(20), None);
        await db.Store.StartAccountAsync(jobId, "acc-1", 12, new DateOnly(2024, 1, 1), Now.AddMinutes(30), None);
        var completed = await db.ProgressAsync(jobId, "acc-1");

        Assert.Equal(
            new ImportProgress(jobId, "acc-1", ImportProgress.Failed, 0, 0, 1, 0, 12, 3, new DateOnly(2024, 4, 1), "The bank answered 503 three times.",
                Now, Now.AddMinutes(5), Now.AddMinutes(5)),
            failed);
        Assert.Equal(
            new ImportProgress(jobId, "acc-1", ImportProgress.Syncing, 0, 0, 1, 0, 12, 3, new DateOnly(2024, 4, 1), null, Now, null, Now.AddMinutes(10)),
            resumed);
        Assert.Equal((ImportProgress.Completed, (DateTimeOffset?)Now.AddMinutes(20)), (completed.Status, completed.FinishedAt));
    }

    [Fact]
    public async Task The_view_rolls_up_accounts_and_rounds_the_percent_done()
    {
        await using var db = await CreateAsync("tl_job_view", "a", "b", "c", "d");
        var (four, three, none) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await db.StartJobAsync(four, "a", "b", "c");
        await db.Store.CreateImportJobAsync(Job(four, "a", "b", "c", "d"), None);
        await db.Store.CreateImportJobAsync(Job(three, "a", "b", "c"), None);
        await db.Store.CreateImportJobAsync(Job(none), None);
        await db.Store.CommitChunkAsync(four, "a", [Tx("1"), Tx("2")], None);
        await db.Store.CommitChunkAsync(four, "b", [Tx("1")], None);
        await db.Store.CheckpointWindowAsync(four, "b", new DateOnly(2024, 2, 1), 1, 2, null, null, None);
        await db.Store.FinishAccountAsync(four, "a", ImportProgress.Completed, null, Now, None);
        await db.Store.FinishAccountAsync(four, "b", ImportProgress.Failed, "failed", Now, None);
        foreach (var account in new[] { "a", "b" })
        {
            await db.Store.FinishAccountAsync(three, account, ImportProgress.Completed, null, Now, None);
        }

        var rolledUp = await db.Store.GetImportJobAsync(four, None);
        var twoOfThree = await db.Store.GetImportJobAsync(three, None);
        var empty = await db.Store.GetImportJobAsync(none, None);

        // The job was created by StartJobAsync with a, b, c (the second create changed nothing): d has no progress row.
        Assert.Equal((3, 2, 1, 1), (rolledUp!.TotalAccounts, rolledUp.CompletedAccounts, rolledUp.FailedAccounts, rolledUp.SyncingAccounts));
        Assert.Equal((3L, 0L, 2L, 0L, 67m), (rolledUp.Synced, rolledUp.Duplicates, rolledUp.Errors, rolledUp.Settled, rolledUp.Percent));
        Assert.Equal((3, 2, 0, 0, 67m), (twoOfThree!.TotalAccounts, twoOfThree.CompletedAccounts, twoOfThree.FailedAccounts, twoOfThree.SyncingAccounts, twoOfThree.Percent));
        Assert.Equal((0, 0, 100m), (empty!.TotalAccounts, empty.CompletedAccounts, empty.Percent));
        Assert.Equal("67", rolledUp.Percent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_filtered_by_owner_and_limited()
    {
        await using var db = await CreateAsync("tl_job_list", "acc-1");
        var ids = Enumerable.Range(0, 5).Select(i => Guid.NewGuid()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            await db.Store.CreateImportJobAsync(Job(ids[i], i % 2 == 0 ? Owner : "owner-b", Now.AddMinutes(i), "acc-1"), None);
        }

        var mine = await db.Store.ListImportJobsAsync(Owner, 10, None);
        var mineLimited = await db.Store.ListImportJobsAsync(Owner, 2, None);
        var everyone = await db.Store.ListImportJobsAsync(null, 4, None);

        Assert.Equal([ids[4], ids[2], ids[0]], mine.Select(j => j.JobId));
        Assert.Equal([ids[4], ids[2]], mineLimited.Select(j => j.JobId));
        Assert.Equal([ids[4], ids[3], ids[2], ids[1]], everyone.Select(j => j.JobId));
        Assert.Empty(await db.Store.ListImportJobsAsync("owner-c", 10, None));
    }
}
