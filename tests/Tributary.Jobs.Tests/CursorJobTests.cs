using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>Cursor jobs: a run ends at the end of the data, or at the first page that cannot be read, never past it.</summary>
public sealed class CursorJobTests
{
    [Fact]
    public async Task A_batch_at_the_end_of_the_data_ends_the_run_successfully_and_no_later_batch_starts()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("cursor_end", o => o.WithTestJobs());
        cluster.Knobs().Cursor.EndAt = "item-004";

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_cursor")).Trigger(new RunRequest(RunTrigger.Manual));
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);

        Assert.Equal((RunStatus.Succeeded, 4, 4, (string?)null), (run.Status, run.TotalBatches, run.ItemsProcessed, run.Error));
        Assert.Equal(["item-001", "item-002", "item-003", "item-004"],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT item FROM test_job_items ORDER BY item"));
        var events = await RunAssertions.EventsAsync(cluster.ConnectionString, ticket.RunId);
        Assert.Equal(["item-001", "item-002", "item-003", "item-004"], events
            .Where(e => e.GetProperty("type").GetString() == "tributary.job.batch.completed")
            .Select(e => e.GetProperty("data").GetProperty("details").GetProperty("item").GetString()));
        var outcome = await Eventually.ValueAsync(() => Task.FromResult(cluster.Knobs().Cursor.Outcomes.FirstOrDefault(o => o.RunId == ticket.RunId)), "the job hears its run ended");
        Assert.Equal((RunStatus.Succeeded, (string?)null, 4), (outcome!.Status, outcome.Error, outcome.ItemsProcessed));
        // The hook gets the run as stored (its trigger, parameters and items), so it need not read it again.
        Assert.Equal((ticket.RunId, RunTrigger.Manual, RunStatus.Succeeded, 10), (outcome.Run!.RunId, outcome.Run.Trigger, outcome.Run.Status, outcome.Run.Items.Count));
    }

    [Fact]
    public async Task A_dead_lettered_batch_stops_the_run_which_fails_with_that_batchs_reason()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("cursor_stop", o => o.WithTestJobs());
        cluster.Knobs().BadData["item-003"] = 0;

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_cursor")).Trigger(new RunRequest(RunTrigger.Manual));
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);

        Assert.Equal((RunStatus.Failed, 3, 1, 2), (run.Status, run.TotalBatches, run.FailedBatches, run.ItemsProcessed));
        Assert.Equal("Stopped at batch 2: Item item-003 is bad data.", run.Error);
        Assert.Equal(["item-001", "item-002"], await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT item FROM test_job_items ORDER BY item"));
        var outcome = await Eventually.ValueAsync(() => Task.FromResult(cluster.Knobs().Cursor.Outcomes.FirstOrDefault(o => o.RunId == ticket.RunId)), "the job hears its run ended");
        Assert.Equal((RunStatus.Failed, run.Error), (outcome!.Status, outcome.Error));
    }
}
