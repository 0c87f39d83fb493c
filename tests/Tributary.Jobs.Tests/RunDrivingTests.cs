using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>
/// Every run that exists is driven: a run whose row was written but never recorded by its grain is adopted and
/// finished; single-flight holds per job and run key; a retried trigger gets its first run; progress shows while a run runs.
/// </summary>
public sealed class RunDrivingTests
{
    private static readonly Dictionary<string, string> FastSweeps = new() { ["JobRuntime:SweepPeriod"] = "00:00:00.200" };

    [Fact]
    public async Task A_run_row_no_grain_knows_of_is_adopted_by_the_supervisor_and_finished_with_every_item_written_once()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_stranded", o => o.WithTestJobs().WithSettings(FastSweeps));
        var runId = Guid.NewGuid();
        // What a silo leaves behind when it dies after writing the run's row and before its grain's state: a row alone.
        await using (var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString))
        {
            var (_, created) = await new JobRunStore(dataSource).CreateRunAsync(
                new NewRun(runId, "test_counting", RunTrigger.Manual, null, new Dictionary<string, string>(), null, null, TestJobs.Items(20), 4),
                CancellationToken.None);
            Assert.True(created);
        }

        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, runId, TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(20, run.ItemsProcessed);
        Assert.Equal(20L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM test_job_items WHERE writes = 1"));
        var snapshot = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting")).GetSnapshot();
        Assert.Null(snapshot.CurrentRunId);
        Assert.Equal(runId, snapshot.LastRunId);
    }

    [Fact]
    public async Task A_trigger_retried_with_its_idempotency_key_gets_the_first_run_even_after_it_finished()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_idempotent", o => o.WithTestJobs());
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting"));
        var request = new RunRequest(RunTrigger.Manual, Parameters: new Dictionary<string, string> { ["count"] = "8" }, IdempotencyKey: "client-request-1");

        var first = await job.Trigger(request);
        await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, first.RunId);
        var repeated = await job.Trigger(request);
        var other = await job.Trigger(request with { IdempotencyKey = "client-request-2" });
        await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, other.RunId);

        Assert.True(first.Started);
        Assert.Equal(first.RunId, repeated.RunId);
        Assert.False(repeated.Started);
        Assert.Equal(RunStatus.Succeeded, repeated.Status);
        Assert.True(other.Started);
        Assert.NotEqual(first.RunId, other.RunId);
        Assert.Equal(2L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_runs WHERE job = 'test_counting'"));
    }

    [Fact]
    public async Task Single_flight_holds_per_run_key_so_two_keys_run_at_once_and_a_second_trigger_of_one_joins_it()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_keys", o => o.WithTestJobs());
        var a = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_gated", "connection-a"));
        var b = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_gated", "connection-b"));

        var first = await a.Trigger(new RunRequest(RunTrigger.Manual));
        var beside = await b.Trigger(new RunRequest(RunTrigger.Manual));
        var joined = await a.Trigger(new RunRequest(RunTrigger.Manual));
        var running = await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString,
            "SELECT coalesce(run_key, '-') FROM job_runs WHERE job = 'test_gated' AND status = 'running' ORDER BY run_key");
        cluster.Knobs().Gated.Open();
        var doneA = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, first.RunId);
        var doneB = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, beside.RunId);

        Assert.True(first.Started);
        Assert.True(beside.Started);
        Assert.NotEqual(first.RunId, beside.RunId);
        Assert.Equal(first.RunId, joined.RunId);
        Assert.False(joined.Started);
        Assert.Equal(["connection-a", "connection-b"], running);
        Assert.Equal(RunStatus.Succeeded, doneA.Status);
        Assert.Equal(RunStatus.Succeeded, doneB.Status);
        Assert.Equal("connection-a", doneA.RunKey);
        Assert.Equal("connection-b", doneB.RunKey);
    }

    [Fact]
    public async Task The_database_refuses_a_second_active_run_of_one_job_and_run_key_and_hands_back_the_first()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_one_active", o => o.WithTestJobs());
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        var store = new JobRunStore(dataSource);
        NewRun Run(Guid id, string? key) => new(id, "test_counting", RunTrigger.Manual, null, new Dictionary<string, string>(), null, null, ["x"], 1, key);
        var (firstId, secondId, keyedId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var first = await store.CreateRunAsync(Run(firstId, null), CancellationToken.None);
        var second = await store.CreateRunAsync(Run(secondId, null), CancellationToken.None);
        var keyed = await store.CreateRunAsync(Run(keyedId, "k"), CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(firstId, second.Run.RunId);
        Assert.True(keyed.Created);
        Assert.Equal(2L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_runs"));
    }

    [Fact]
    public async Task A_running_runs_batches_and_items_show_in_the_api_before_it_ends()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("run_progress", o => o.WithTestJobs().WithGateway());
        cluster.Knobs().Stepped.HoldFrom = 3;
        using var http = cluster.Gateway!.CreateClient(GatewayHost.OperatorKey);

        var trigger = await http.PostAsync("/api/etl/test_stepped/runs", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        var listed = (await Eventually.ValueAsync(async () =>
        {
            var runs = await http.GetFromJsonAsync<JsonElement>("/api/etl/runs?job=test_stepped");
            var run = runs.EnumerateArray().Single();
            return run.GetProperty("totalBatches").GetInt32() == 3 ? (JsonElement?)run : null;
        }, "the running run lists 3 batches done")).GetValueOrDefault();
        var one = await http.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}");
        cluster.Knobs().Stepped.Open();
        var done = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, Guid.Parse(runId!));

        Assert.Equal("running", listed.GetProperty("status").GetString());
        Assert.Equal(3, listed.GetProperty("itemsProcessed").GetInt32());
        Assert.Equal(0, listed.GetProperty("failedBatches").GetInt32());
        Assert.Equal("running", one.GetProperty("status").GetString());
        Assert.Equal(3, one.GetProperty("totalBatches").GetInt32());
        Assert.Equal(3, one.GetProperty("itemsProcessed").GetInt32());
        Assert.Equal(6, done.TotalBatches);
        Assert.Equal(6, done.ItemsProcessed);
    }
}
