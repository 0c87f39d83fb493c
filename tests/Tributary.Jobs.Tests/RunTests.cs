using System.Text.Json;
using Npgsql;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>Runs of test jobs on a real cluster and database: batches, checkpoints, retries, dead letters, events.</summary>
public sealed class RunTests
{
    private static readonly Dictionary<string, string> Twenty = new() { ["count"] = "20" };

    [Fact]
    public async Task A_run_commits_every_batch_once_and_announces_each_batch_and_its_completion()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_ok", o => o.WithTestJobs());

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting")).Trigger(new RunRequest(RunTrigger.Manual, Parameters: Twenty));
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);

        Assert.True(ticket.Started);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(5, run.TotalBatches);
        Assert.Equal(0, run.FailedBatches);
        Assert.Equal(20, run.ItemsProcessed);
        Assert.Equal(20L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM test_job_items WHERE writes = 1"));

        var events = await RunAssertions.EventsAsync(cluster.ConnectionString, ticket.RunId);
        Assert.Equal(5, events.Count(e => e.GetProperty("type").GetString() == "tributary.job.batch.completed"));
        var completion = Assert.Single(events, e => e.GetProperty("type").GetString() == "tributary.job.run.completed");
        Assert.Equal("1.0", completion.GetProperty("specversion").GetString());
        Assert.Equal("/jobs/test_counting", completion.GetProperty("source").GetString());
        var data = completion.GetProperty("data");
        Assert.Equal("succeeded", data.GetProperty("status").GetString());
        Assert.Equal(5, data.GetProperty("totalBatches").GetInt32());
        Assert.Equal(20, data.GetProperty("totalItems").GetInt32());
        Assert.Equal(0, data.GetProperty("failedBatches").GetInt32());
        Assert.Equal(ticket.RunId.ToString(), data.GetProperty("runId").GetString());
        Assert.Equal(JsonValueKind.Number, data.GetProperty("processingTimeMs").ValueKind);
        Assert.Equal("tributary.job.run.completed", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_runs_watchdog_reminder_is_stored_while_it_runs_and_removed_when_it_ends()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_watchdog", o => o.WithTestJobs());
        const string Watchdogs = "SELECT count(*) FROM orleans_reminder WHERE reminder_name = 'job-watchdog' AND grain_id LIKE '%test_gated%'";

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_gated")).Trigger(new RunRequest(RunTrigger.Manual));
        Assert.Equal(1L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, Watchdogs));

        cluster.Knobs().Gated.Open();
        Assert.Equal(RunStatus.Succeeded, (await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId)).Status);
        await Eventually.TrueAsync(async () => await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, Watchdogs) == 0,
            "the ended run's watchdog reminder is unregistered");
    }

    [Fact]
    public async Task A_failing_batch_is_dead_lettered_its_siblings_commit_and_a_replay_completes_it()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_dead_letter", o => o.WithTestJobs());
        cluster.Knobs().Failing["item-007"] = 0;
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting"));

        var first = await job.Trigger(new RunRequest(RunTrigger.Manual, Parameters: Twenty));
        var failed = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, first.RunId);

        Assert.Equal(RunStatus.PartiallySucceeded, failed.Status);
        Assert.Equal(1, failed.FailedBatches);
        Assert.Equal(16, failed.ItemsProcessed);
        Assert.Equal(16L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM test_job_items"));
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        var store = new JobRunStore(dataSource);
        var letter = Assert.Single(await store.ListDeadLettersAsync("test_counting", includeReplayed: false, 100, CancellationToken.None));
        Assert.Equal(["item-005", "item-006", "item-007", "item-008"], letter.Items);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal("InvalidOperationException: Upstream refused item item-007 (attempt 2).", letter.Error);

        cluster.Knobs().Failing.Clear();
        var replay = await job.Trigger(new RunRequest(RunTrigger.Replay, DeadLetterIds: [letter.DeadLetterId]));
        var replayed = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, replay.RunId);

        Assert.Equal(RunStatus.Succeeded, replayed.Status);
        Assert.Equal(1, replayed.TotalBatches);
        Assert.Equal(letter.DeadLetterId, replayed.ReplayOf);
        Assert.Equal(20L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM test_job_items WHERE writes = 1"));
        await Eventually.TrueAsync(
            async () => (await store.GetDeadLetterAsync(letter.DeadLetterId, CancellationToken.None))!.ReplayRunId == replay.RunId,
            "the dead letter is marked replayed by the replay run");
        Assert.Empty(await store.ListDeadLettersAsync("test_counting", includeReplayed: false, 100, CancellationToken.None));

        var statuses = new List<string?>();
        foreach (var runId in new[] { first.RunId, replay.RunId })
        {
            var events = await RunAssertions.EventsAsync(cluster.ConnectionString, runId);
            statuses.Add(events.Single(e => e.GetProperty("type").GetString() == "tributary.job.run.completed").GetProperty("data").GetProperty("status").GetString());
        }

        Assert.Equal(["partially_succeeded", "succeeded"], statuses);
    }

    [Fact]
    public async Task Bad_data_is_dead_lettered_after_one_attempt()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_bad_data", o => o.WithTestJobs());
        cluster.Knobs().BadData["item-002"] = 0;

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting")).Trigger(new RunRequest(RunTrigger.Manual, Parameters: new Dictionary<string, string> { ["count"] = "8" }));
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);

        Assert.Equal(RunStatus.PartiallySucceeded, run.Status);
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        var letter = Assert.Single(await new JobRunStore(dataSource).ListDeadLettersAsync(null, false, 10, CancellationToken.None));
        Assert.Equal(1, letter.Attempts);
        Assert.Equal("PermanentBatchException: Item item-002 is bad data.", letter.Error);
    }

    [Fact]
    public async Task A_trigger_while_running_returns_the_running_run()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("single_flight", o => o.WithTestJobs());
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_gated"));

        var first = await job.Trigger(new RunRequest(RunTrigger.Manual));
        var second = await job.Trigger(new RunRequest(RunTrigger.Manual));
        var snapshot = await job.GetSnapshot();
        cluster.Knobs().Gated.Open();
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, first.RunId);

        Assert.True(first.Started);
        Assert.False(second.Started);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.RunId, snapshot.CurrentRunId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        await Eventually.TrueAsync(async () => (await job.GetSnapshot()).CurrentRunId is null, "the job is free again after its run");
        Assert.Equal(1L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_runs"));
    }

    [Fact]
    public async Task A_schedule_occurrence_is_served_by_one_run_however_often_it_is_triggered()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("occurrence", o => o.WithTestJobs());
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting"));
        var occurrence = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        var tickets = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => job.Trigger(new RunRequest(RunTrigger.Schedule, ScheduledFor: occurrence))));
        await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, tickets[0].RunId);
        var late = await job.Trigger(new RunRequest(RunTrigger.Schedule, ScheduledFor: occurrence));

        Assert.Single(tickets, t => t.Started);
        Assert.All(tickets, t => Assert.Equal(tickets[0].RunId, t.RunId));
        Assert.Equal(tickets[0].RunId, late.RunId);
        Assert.False(late.Started);
        Assert.Equal(1L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_runs"));
    }

    [Fact]
    public async Task An_unknown_job_is_answered_with_a_sentence_as_a_result_not_an_exception()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("unknown_job", o => o.WithTestJobs());

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("no_such_job")).Trigger(new RunRequest(RunTrigger.Manual));

        Assert.Equal((Guid.Empty, false), (ticket.RunId, ticket.Started));
        Assert.Equal("There is no job named 'no_such_job'. GET /api/etl/jobs lists the jobs.", ticket.NotFound);
        var jobs = await cluster.Grains.GetGrain<IJobCatalogGrain>(0).List();
        Assert.Equal(["analysis_task", "process_transactions_to_holdings", "process_transactions_to_holdings_monthly", "prune_analysis_tasks", "prune_retention", "test_counting", "test_cursor", "test_gated", "test_stepped"], jobs.Select(j => j.Name));
    }
}
