using System.Text;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>
/// Submitted tasks wait in the queue (pending) and a silo takes the next one only when its workers are nearly free: at most
/// twice <c>Tasks:WorkersPerSilo</c> sections analysed or waiting on it, oldest task first.
/// </summary>
public sealed class AnalysisQueueTests
{
    [Fact]
    public async Task A_silo_takes_the_oldest_pending_task_only_when_fewer_than_twice_its_workers_sections_are_unfinished_there()
    {
        await using var simulator = await Simulator.StartAsync(new Dictionary<string, string> { ["Simulators:AiPlatform:LatencyMs"] = "400" });
        var settings = new Dictionary<string, string>(simulator.AiPlatformSettings()) { ["Tasks:WorkersPerSilo"] = "1" };
        await using var cluster = await RunningCluster.StartAsync("analysis_queue", 1, settings);
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var body = $$"""{"username": "{{Simulator.AiPlatformUser}}", "password": "{{Simulator.AiPlatformPassword}}", "data": {{AnalysisTaskTests.SeedExample}}}""";

        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsync("/task/submit", new StringContent(body, Encoding.UTF8, "application/json"));
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit {i} answered {(int)response.StatusCode}: {answer}");
            Assert.Equal("pending", answer.GetProperty("status").GetString());
            submitted.Add(answer.GetProperty("task_id").GetString()!);
        }

        foreach (var taskId in submitted)
        {
            var status = await AnalysisTaskTests.WaitForEndAsync(client, taskId);
            Assert.Equal("completed", status.GetProperty("status").GetString());
            Assert.All(status.GetProperty("sections").EnumerateArray(), s => Assert.Equal(("completed", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempts").GetInt32())));
        }

        // Taken in the order submitted (a task's started_at is when a silo took it off the queue).
        Assert.Equal(0L, await AnalysisTaskTests.CountAsync(cluster,
            "SELECT count(*) FROM analysis_tasks a JOIN analysis_tasks b ON a.created_at < b.created_at WHERE a.started_at > b.started_at"));
        // When each task was taken, at most 2 sections (1 worker x 2) of the tasks taken before it were unfinished: the
        // worker's section, and one whose result was being stored. Started at submit, the last task would have found 16.
        var unfinished = await AnalysisTaskTests.CountAsync(cluster,
            """
            SELECT max((SELECT count(*) FROM analysis_task_sections s JOIN analysis_tasks o USING (task_id)
                        WHERE o.started_at < t.started_at AND s.finished_at > t.started_at))
            FROM analysis_tasks t
            """);
        Assert.True(unfinished <= 2, $"a task was taken while {unfinished} sections of earlier tasks were unfinished on a silo of 1 worker (at most 2 expected)");
        Assert.Equal(5L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM job_runs WHERE job = 'analysis_task' AND status = 'succeeded'"));
        var platform = await simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/aiplatform");
        Assert.Equal((5, 20), (platform.GetProperty("logins").GetInt32(), platform.GetProperty("analyses").GetInt32()));
    }
}
