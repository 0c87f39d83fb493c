using Tributary.Cluster.Tests.Faults;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>
/// The silo running a task killed at each point where a crash can land (the runtime's crash switch): the task completes
/// once, on the survivor, without a new request, and each section is analysed and counted once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class AnalysisTaskCrashTests
{
    public static TheoryData<string, int> Points => new()
    {
        { "run-created", 1 },
        { "batch-claimed", 2 },
        { "batch-committed", 2 },
        { "run-finished", 1 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_silo_killed_at_the_point_leaves_a_task_the_survivor_completes_with_each_section_once(string point, int hit)
    {
        var onceFile = Path.Combine(Path.GetTempPath(), $"tributary-crash-{Guid.NewGuid():N}");
        await using var cluster = await RunningCluster.StartAsync($"analysis_crash_{point.Replace('-', '_')}_{hit}", 2, new Dictionary<string, string>
        {
            ["JobRuntime:WatchdogPeriod"] = "00:01:00",
            ["Tasks:RecoveryPeriod"] = "00:00:02",
            ["TRIBUTARY_CRASH_AT"] = $"{point}@{hit}",
            ["TRIBUTARY_CRASH_ONCE_FILE"] = onceFile,
        });
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        // The submit only stores the task; the silo that takes it off the queue starts its run there and dies at the point.
        var taskId = (await AnalysisTaskTests.SubmitAsync(client, $$"""{"data": {{AnalysisTaskTests.SeedExample}}}""", $"crash-{point}-{hit}")).GetProperty("task_id").GetString()!;
        var status = await AnalysisTaskTests.WaitForEndAsync(client, taskId);

        await Eventually.TrueAsync(() => Task.FromResult(cluster.Silos.Any(s => s.HasExited)), $"a silo crashes at {point}");
        var crashed = cluster.Silos.Where(s => s.HasExited).ToList();
        Assert.True(crashed.Count == 1, $"exactly one silo should have crashed at {point}@{hit}; exited: {crashed.Count}.\n"
            + string.Join("\n---\n", cluster.Silos.Select(s => s.Output)));
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("sections").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        var result = await client.GetFromJsonAsync<JsonElement>($"/task/{taskId}/result");
        Assert.Equal(["summary", "movers", "allocation", "performance"], result.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("section").GetString()));
        Assert.Equal(1L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM analysis_tasks"));
        Assert.Equal(4L, await AnalysisTaskTests.CountAsync(cluster, $"SELECT count(*) FROM analysis_task_sections WHERE task_id = '{taskId}' AND status = 'completed' AND result IS NOT NULL"));
        Assert.Equal(0L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM job_dead_letters"));
        // A section completed before the crash is not started again (its batch finds it done); one in flight at the crash
        // is started once more on the survivor. No section was started more than twice, and none is completed twice.
        Assert.Equal(0L, await AnalysisTaskTests.CountAsync(cluster, $"SELECT count(*) FROM analysis_task_sections WHERE task_id = '{taskId}' AND attempts NOT IN (1, 2)"));
    }
}
