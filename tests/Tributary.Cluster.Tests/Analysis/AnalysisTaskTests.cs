using System.Globalization;
using System.Text;
using Npgsql;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>The analysis task API end to end: silo processes, the gateway over HTTP, a real PostgreSQL, the built-in provider.</summary>
public sealed class AnalysisTaskTests
{
    /// <summary>The seed's example: a summary row, top movers, the allocation, the performance, and a row no rule takes.</summary>
    public const string SeedExample =
        """
        [
          {"Market Value": 1250000.50, "Top Asset": "Nestle", "Currency": "CHF"},
          {"top_movers_data": [{"name": "Roche", "change_pct": 3.2}, {"name": "UBS", "change_pct": -2.5}, {"name": "ABB", "change_pct": 1.1}, {"name": "Sika", "change_pct": -0.4}]},
          {"assets": [{"name": "Nestle", "mv": 500000}, {"name": "Roche", "mv": 300000}, {"name": "UBS", "mv": 200000}, {"name": "Cash", "mv": 250000.50}], "total_portfolio_mv": 1250000.50},
          {"performance": [{"period": "1M", "return_pct": 1.5}, {"period": "3M", "return_pct": -0.8}, {"period": "1Y", "return_pct": 7.25}]},
          {"note": "not a section"}
        ]
        """;

    private const string Password = "seed-platform-password-must-not-be-stored";

    private static readonly string[] OtherSections = ["summary", "movers", "performance"];

    [Fact]
    public async Task Submit_status_and_result_give_every_section_of_the_seeds_example_and_the_password_is_kept_nowhere()
    {
        var gatewayLog = Path.Combine(Path.GetTempPath(), $"tributary-gateway-{Guid.NewGuid():N}.log");
        await using var cluster = await RunningCluster.StartAsync("analysis_tasks", 1,
            gatewaySettings: new Dictionary<string, string?> { ["Logging:File:Path"] = gatewayLog, ["Logging:LogLevel:Default"] = "Debug" });
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        var submitted = await SubmitAsync(client, $$"""{"username": "analyst", "password": "{{Password}}", "data": {{SeedExample}}}""", "seed-example-1");
        var taskId = submitted.GetProperty("task_id").GetString()!;
        var status = await WaitForEndAsync(client, taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(["summary", "movers", "allocation", "performance"], status.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("section").GetString()));
        Assert.All(status.GetProperty("sections").EnumerateArray(), s => Assert.Equal(("completed", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempts").GetInt32())));
        var progress = status.GetProperty("progress");
        Assert.Equal((4, 4, 0, 0, 0, 100.0), (progress.GetProperty("total").GetInt32(), progress.GetProperty("completed").GetInt32(), progress.GetProperty("failed").GetInt32(),
            progress.GetProperty("running").GetInt32(), progress.GetProperty("pending").GetInt32(), progress.GetProperty("percent").GetDouble()));

        var result = await client.GetFromJsonAsync<JsonElement>($"/task/{taskId}/result");
        var texts = result.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("section").GetString()!, s => s.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal("The portfolio is worth 1,250,000.50; its largest holding is Nestle.", texts["summary"]);
        Assert.Equal("4 movers: up Roche (+3.20%), ABB (+1.10%); down UBS (-2.50%), Sika (-0.40%).", texts["movers"]);
        Assert.Equal("4 assets; the largest is Nestle at 40.00%, the top 3 hold 84.00%; concentration (HHI) 0.2832: highly concentrated.", texts["allocation"]);
        Assert.Equal("3 periods: best 1Y (+7.25%), worst 3M (-0.80%).", texts["performance"]);

        // A retried submit (same Idempotency-Key) is the same task; without a key, a new one.
        var again = await SubmitAsync(client, $$"""{"data": {{SeedExample}}}""", "seed-example-1");
        Assert.Equal(taskId, again.GetProperty("task_id").GetString());
        var other = await SubmitAsync(client, $$"""{"data": {{SeedExample}}}""", idempotencyKey: null);
        Assert.NotEqual(taskId, other.GetProperty("task_id").GetString());
        await WaitForEndAsync(client, other.GetProperty("task_id").GetString()!);

        // The caller's tasks, newest first, filtered; another user's task is a 404 to them; an admin sees it.
        var listed = await client.GetFromJsonAsync<JsonElement>("/tasks?limit=20&status=completed");
        Assert.Equal([other.GetProperty("task_id").GetString(), taskId], listed.EnumerateArray().Select(t => t.GetProperty("task_id").GetString()));
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/tasks?limit=1")).EnumerateArray());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/tasks?status=failed")).EnumerateArray());
        using var second = cluster.Gateway.CreateClient(GatewayHost.SecondOperatorKey);
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/task/{taskId}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/task/{taskId}/result")).StatusCode);
        Assert.Empty((await second.GetFromJsonAsync<JsonElement>("/tasks")).EnumerateArray());
        using var admin = cluster.Gateway.CreateClient(GatewayHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/task/{taskId}/status")).StatusCode);

        // Bad input names its field and creates nothing.
        var before = await CountAsync(cluster, "SELECT count(*) FROM analysis_tasks");
        foreach (var (body, field) in new[]
                 {
                     ("{}", "data"), ("""{"data": {"a": 1}}""", "data"), ("""{"data": []}""", "data"), ("""{"data": [1, 2]}""", "data"),
                     ("""{"data": [{"nothing": "here"}]}""", "data"), ("""{"data": [{"Top Asset": "x"}], "user": "u"}""", "user"), ("""{"data": "x", "password": 5}""", "password"),
                 })
        {
            using var response = await client.PostAsync("/task/submit", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} answered {(int)response.StatusCode}: {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body}: no error on {field}: {problem}");
        }

        foreach (var (path, field) in new[] { ("/tasks?limit=0", "limit"), ("/tasks?status=done", "status"), ("/task/not-an-id/status", "task_id"), ("/task/not-an-id/result", "task_id") })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), $"{path}: no error on {field}");
        }

        Assert.Equal(before, await CountAsync(cluster, "SELECT count(*) FROM analysis_tasks"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/task/{Guid.NewGuid()}/status")).StatusCode);

        // /ping carries the seed's task-service fields.
        var ping = await client.GetFromJsonAsync<JsonElement>("/ping");
        Assert.Equal((10, 0L, 0L, 2L, "ok"), (ping.GetProperty("workers").GetInt32(), ping.GetProperty("workers_started").GetInt64(), ping.GetProperty("queue_size").GetInt64(),
            ping.GetProperty("total_tasks").GetInt64(), ping.GetProperty("storage").GetProperty("status").GetString()));

        // The password is in no table, grain state or log line.
        var dump = await DatabaseDump.DumpAsync(cluster.Settings.ConnectionString);
        Assert.DoesNotContain(Password, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, string.Join('\n', cluster.Silos.Select(s => s.Output)), StringComparison.Ordinal);
        var gatewayLines = string.Join('\n', Directory.GetFiles(Path.GetDirectoryName(gatewayLog)!, Path.GetFileNameWithoutExtension(gatewayLog) + "*")
            .Select(f => { using var reader = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)); return reader.ReadToEnd(); }));
        Assert.Contains("[DBG]", gatewayLines, StringComparison.Ordinal); // the gateway did log, at its most verbose
        Assert.DoesNotContain(Password, gatewayLines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_section_that_fails_for_good_ends_the_task_completed_with_errors_with_its_reason_while_the_others_finish()
    {
        await using var cluster = await RunningCluster.StartAsync("analysis_failing_section", 1);
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var data = SeedExample.Replace("\"total_portfolio_mv\": 1250000.50", "\"total_portfolio_mv\": 0", StringComparison.Ordinal);

        var taskId = (await SubmitAsync(client, $$"""{"data": {{data}}}""", null)).GetProperty("task_id").GetString()!;
        var status = await WaitForEndAsync(client, taskId);

        Assert.Equal("completed_with_errors", status.GetProperty("status").GetString());
        Assert.Equal("1 of 4 sections failed", status.GetProperty("error").GetString());
        var sections = status.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("section").GetString()!);
        Assert.Equal(("failed", "Section allocation: total_portfolio_mv must be positive to weigh the assets, was 0."),
            (sections["allocation"].GetProperty("status").GetString(), sections["allocation"].GetProperty("error").GetString()));
        Assert.Equal(1, sections["allocation"].GetProperty("attempts").GetInt32()); // bad data is not retried
        Assert.All(OtherSections, name => Assert.Equal("completed", sections[name].GetProperty("status").GetString()));
        var result = await client.GetFromJsonAsync<JsonElement>($"/task/{taskId}/result");
        Assert.Equal(3, result.GetProperty("sections").EnumerateArray().Count(s => s.GetProperty("result").ValueKind == JsonValueKind.Object));
    }

    internal static async Task<JsonElement> SubmitAsync(HttpClient client, string body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/task/submit") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /task/submit answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    internal static async Task<JsonElement> WaitForEndAsync(HttpClient client, string taskId)
    {
        var text = await Eventually.ValueAsync(async () =>
        {
            var body = await client.GetStringAsync($"/task/{taskId}/status");
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() is "pending" or "running" ? null : body;
        }, $"task {taskId} ends", TimeSpan.FromSeconds(120));
        return JsonDocument.Parse(text).RootElement;
    }

    internal static async Task<long> CountAsync(RunningCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
