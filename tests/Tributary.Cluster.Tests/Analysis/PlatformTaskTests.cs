using System.Text;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>Analysis tasks with the AI platform as provider: the simulator's login and analyses over loopback.</summary>
public sealed class PlatformTaskTests
{
    [Fact]
    public async Task The_platform_login_is_exchanged_at_submit_a_wrong_one_creates_nothing_and_the_password_and_token_are_kept_nowhere()
    {
        await using var simulator = await Simulator.StartAsync();
        await using var cluster = await RunningCluster.StartAsync("analysis_platform", 1, simulator.AiPlatformSettings());
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        // A wrong password: a 401 problem at once, no task.
        using (var refused = await client.PostAsync("/task/submit", new StringContent(
                   $$"""{"username": "{{Simulator.AiPlatformUser}}", "password": "not-the-password", "data": {{AnalysisTaskTests.SeedExample}}}""", Encoding.UTF8, "application/json")))
        {
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"a wrong login answered {(int)refused.StatusCode}: {problem}");
            Assert.Contains("invalid_credentials", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", problem, StringComparison.Ordinal);
        }

        // No login at all: the field is named.
        using (var missing = await client.PostAsync("/task/submit", new StringContent($$"""{"data": {{AnalysisTaskTests.SeedExample}}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("username", out _));
        }

        Assert.Equal(0L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM analysis_tasks"));

        var taskId = (await AnalysisTaskTests.SubmitAsync(client,
            $$"""{"username": "{{Simulator.AiPlatformUser}}", "password": "{{Simulator.AiPlatformPassword}}", "data": {{AnalysisTaskTests.SeedExample}}}""", null))
            .GetProperty("task_id").GetString()!;
        var status = await AnalysisTaskTests.WaitForEndAsync(client, taskId);

        Assert.Equal(("completed", "platform"), (status.GetProperty("status").GetString(), status.GetProperty("provider").GetString()));
        var result = await client.GetFromJsonAsync<JsonElement>($"/task/{taskId}/result");
        var sections = result.GetProperty("sections").EnumerateArray().ToList();
        Assert.Equal(["summary", "movers", "allocation", "performance"], sections.Select(s => s.GetProperty("section").GetString()));
        Assert.All(sections, s =>
        {
            Assert.Equal(("platform", "sim-analyst-1"), (s.GetProperty("result").GetProperty("provider").GetString(), s.GetProperty("result").GetProperty("model").GetString()));
            Assert.StartsWith($"Analysis of the {s.GetProperty("section").GetString()} section: ", s.GetProperty("result").GetProperty("text").GetString(), StringComparison.Ordinal);
        });
        var platform = await simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/aiplatform");
        Assert.Equal((1, 4), (platform.GetProperty("logins").GetInt32(), platform.GetProperty("analyses").GetInt32()));

        // The token went with the task's end; the password and the api key are in no table, grain state or silo log.
        Assert.Equal(0L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM analysis_tasks WHERE protected_token IS NOT NULL"));
        var dump = await DatabaseDump.DumpAsync(cluster.Settings.ConnectionString);
        var logs = string.Join('\n', cluster.Silos.Select(s => s.Output));
        foreach (var secret in new[] { Simulator.AiPlatformPassword, Simulator.AiPlatformApiKey })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
