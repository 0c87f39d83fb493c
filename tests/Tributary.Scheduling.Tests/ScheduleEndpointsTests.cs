using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tributary.Scheduling.Tests;

/// <summary>The <c>/api/schedules</c> routes over a real cluster: status codes, problem+json and bodies.</summary>
public sealed class ScheduleEndpointsTests
{
    [Fact]
    public async Task A_bad_change_is_a_400_naming_the_field_and_the_reason()
    {
        await using var cluster = await ScheduleTestCluster.StartAsync("schedule api validation");
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);

        using var response = await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { cron = "0 61 * * *", timeZone = "Mars/Base", misfire = "sometimes", maxCatchUp = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Cron '0 61 * * *' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive).", errors.GetProperty("cron")[0].GetString());
        Assert.Equal("Time zone 'Mars/Base' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'.", errors.GetProperty("timeZone")[0].GetString());
        Assert.Equal("Misfire policy 'sometimes' is unknown; allowed: skip, once, all.", errors.GetProperty("misfire")[0].GetString());
        Assert.Equal("Must be 1..1000, was 0.", errors.GetProperty("maxCatchUp")[0].GetString());

        using var badName = await api.Client.GetAsync("/api/schedules/bad%20name");
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.True((await badName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("job", out _));

        using var unknown = await api.Client.PutAsJsonAsync("/api/schedules/no_such_job", new { cron = "0 6 * * *" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("There is no job named 'no_such_job'. GET /api/schedules lists the scheduled jobs.",
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var unscheduled = await api.Client.GetAsync($"/api/schedules/{DigestJob.JobName}");
        Assert.Equal(HttpStatusCode.NotFound, unscheduled.StatusCode);
    }

    [Fact]
    public async Task Operators_list_change_pause_resume_and_trigger_schedules()
    {
        await using var cluster = await ScheduleTestCluster.StartAsync("schedule api flow");
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);

        using var created = await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { cron = "0 6 * * *", timeZone = "Europe/Zurich", misfire = "all" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("0 6 * * *", "Europe/Zurich", "all", 10, true), (view.GetProperty("cron").GetString(), view.GetProperty("timeZone").GetString(),
            view.GetProperty("misfire").GetString(), view.GetProperty("maxCatchUp").GetInt32(), view.GetProperty("enabled").GetBoolean()));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 4, 0, 0, TimeSpan.Zero), view.GetProperty("nextDue").GetDateTimeOffset());

        using var changed = await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { maxCatchUp = 3 });
        Assert.Equal(3, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("maxCatchUp").GetInt32());

        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/schedules");
        var only = Assert.Single(list.EnumerateArray());
        Assert.Equal((ReportJob.JobName, "0 6 * * *", "all", 3), (only.GetProperty("job").GetString(), only.GetProperty("cron").GetString(),
            only.GetProperty("misfire").GetString(), only.GetProperty("maxCatchUp").GetInt32()));

        using var paused = await api.Client.PostAsync($"/api/schedules/{ReportJob.JobName}/pause", null);
        Assert.False((await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        using var resumed = await api.Client.PostAsync($"/api/schedules/{ReportJob.JobName}/resume", null);
        Assert.True((await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());

        using var triggered = await api.Client.PostAsync($"/api/schedules/{ReportJob.JobName}/trigger", null);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var ticket = await triggered.Content.ReadFromJsonAsync<JsonElement>();
        var runId = ticket.GetProperty("runId").GetGuid();
        Assert.True(ticket.GetProperty("started").GetBoolean());
        Assert.Equal($"/api/etl/runs/{runId}", triggered.Headers.Location?.OriginalString);
        var run = Assert.Single(await cluster.RunsAsync(ReportJob.JobName));
        Assert.Equal((runId, RunRequest.Manual), (run.RunId, run.Trigger));
        var read = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{ReportJob.JobName}");
        Assert.Equal(runId, read.GetProperty("lastRunId").GetGuid());
    }

    [Fact]
    public async Task A_wrong_json_type_names_the_field_and_what_it_must_be_never_a_dotnet_type()
    {
        await using var cluster = await ScheduleTestCluster.StartAsync("schedule api json types");
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        (string Json, string Field, string Reason)[] cases =
        [
            ("""{"cron": 5}""", "cron", "Must be a string (or null)."),
            ("""{"cron": "0 6 * * *", "enabled": "yes"}""", "enabled", "Must be true or false (or null)."),
            ("""{"misfire": 3}""", "misfire", "Must be a string (or null)."),
            ("""{"maxCatchUp": "ten"}""", "maxCatchUp", "Must be a whole number (or null)."),
            ("""{"maxCatchUp": 1.5}""", "maxCatchUp", "Must be a whole number (or null)."),
            ("""{"timeZone": ["Europe/Zurich"]}""", "timeZone", "Must be a string (or null)."),
            ("5", "body", "Must be a JSON object with the fields cron, timeZone, misfire, maxCatchUp, enabled."),
            ("", "body", "Required: a JSON object with the fields cron, timeZone, misfire, maxCatchUp, enabled."),
            // Malformed JSON keeps the parser's sentence and where it broke.
            ("""{"cron": "0 6 * * *",}""", "body",
                "Not valid JSON here (line 1, byte 22): The JSON object contains a trailing comma at the end which is not supported in this mode."),
        ];

        var answers = new List<(string Json, HttpStatusCode Status, string? MediaType, string Field, string? Reason, string? Detail)>();
        foreach (var (json, _, _) in cases)
        {
            using var response = await api.Client.PutAsync($"/api/schedules/{ReportJob.JobName}", new StringContent(json, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Tributary.", text, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(ScheduleChange), text, StringComparison.Ordinal);
            var problem = JsonDocument.Parse(text).RootElement;
            var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
            answers.Add((json, response.StatusCode, response.Content.Headers.ContentType?.MediaType, error.Name,
                Assert.Single(error.Value.EnumerateArray()).GetString(), problem.GetProperty("detail").GetString()));
        }

        Assert.Equal(
            cases.Select(c => (c.Json, HttpStatusCode.BadRequest, (string?)"application/problem+json", c.Field, (string?)c.Reason, (string?)$"{c.Field}: {c.Reason}")),
            answers);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync($"/api/schedules/{ReportJob.JobName}")).StatusCode);
    }
}
