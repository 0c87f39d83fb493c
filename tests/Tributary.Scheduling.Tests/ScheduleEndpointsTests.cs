using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tributary.Storage.Jobs;
using static Tributary.Scheduling.Tests.Instants;

namespace Tributary.Scheduling.Tests;

/// <summary>The <c>/api/schedules</c> routes over a real cluster: status codes, problem+json and bodies.</summary>
public sealed class ScheduleEndpointsTests
{
    [Fact]
    public async Task A_bad_change_is_a_400_naming_the_field_and_the_reason()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule api validation", o => o.WithScheduleJobs());
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
    public async Task A_put_that_changes_nothing_is_400_and_leaves_changed_by_alone_and_reset_returns_to_the_default()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule nothing to change", o => o.WithScheduleJobs()
            .WithSetting($"Jobs:{ReportJob.JobName}:Schedule:Cron", "0 6 * * *"));
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        var path = $"/api/schedules/{ReportJob.JobName}";
        var before = await Eventually.ValueAsync(async () =>
        {
            using var response = await api.Client.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }, "the configured schedule is seeded");

        using var empty = await api.Client.PutAsJsonAsync(path, new { });
        using var same = await api.Client.PutAsJsonAsync(path, new { cron = "0 6 * * *", timeZone = "UTC", misfire = "skip" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (empty.StatusCode, same.StatusCode));
        Assert.Equal("Nothing to change: give at least one of cron, timeZone, misfire, maxCatchUp or enabled.",
            (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.Equal("Nothing to change: the schedule already has these values.",
            (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("body")[0].GetString());
        var after = await api.Client.GetStringAsync(path);
        Assert.Equal(before, after);
        Assert.Equal("configuration", JsonDocument.Parse(after).RootElement.GetProperty("changedBy").GetString());

        // An operator's change, then back to the configured default, which the schedule follows again.
        using var changed = await api.Client.PutAsJsonAsync(path, new { cron = "0 7 * * *" });
        var operators = await changed.Content.ReadFromJsonAsync<JsonElement>();
        using var reset = await api.Client.PostAsync($"{path}/reset", null);
        var restored = await reset.Content.ReadFromJsonAsync<JsonElement>();
        using var noDefault = await api.Client.PostAsync($"/api/schedules/{DigestJob.JobName}/reset", null);

        Assert.Equal(("0 7 * * *", "api"), (operators.GetProperty("cron").GetString(), operators.GetProperty("changedBy").GetString()));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(("0 6 * * *", "configuration"), (restored.GetProperty("cron").GetString(), restored.GetProperty("changedBy").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, noDefault.StatusCode);
        Assert.Equal($"Job '{DigestJob.JobName}' has no configured schedule to return to (no Jobs:{DigestJob.JobName}:Schedule:Cron and no default of its domain).",
            (await noDefault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_404_at_the_gateway_without_a_schedule_grain()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule unknown job", o => o.WithScheduleJobs());
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);

        var answers = new List<(HttpStatusCode, string?)>();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/schedules/no_such_job"),
            new HttpRequestMessage(HttpMethod.Post, "/api/schedules/no_such_job/pause"),
            new HttpRequestMessage(HttpMethod.Post, "/api/schedules/no_such_job/trigger"),
            new HttpRequestMessage(HttpMethod.Get, "/api/schedules/no_such_job/occurrences"),
        })
        {
            using var response = await api.Client.SendAsync(request);
            answers.Add((response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.NotFound, "There is no job named 'no_such_job'. GET /api/schedules lists the scheduled jobs."), a));
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var schedules = await management.GetActiveGrains(GrainType.Create("schedule"));
        Assert.DoesNotContain(schedules, grain => grain.Key.ToString()!.Contains("no_such_job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operators_list_change_pause_resume_and_trigger_schedules()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule api flow", o => o.WithScheduleJobs());
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
        // Besides the test's schedule, only the analysis tasks' daily retention (a domain default, on everywhere).
        Assert.Equal(["prune_analysis_tasks", ReportJob.JobName], list.EnumerateArray().Select(s => s.GetProperty("job").GetString()));
        var only = list.EnumerateArray().Single(s => s.GetProperty("job").GetString() == ReportJob.JobName);
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
        Assert.Equal((runId, RunTrigger.Manual), (run.RunId, run.Trigger));
        var read = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{ReportJob.JobName}");
        Assert.Equal(runId, read.GetProperty("lastRunId").GetGuid());
    }

    [Fact]
    public async Task Occurrences_across_the_spring_forward_night_mark_the_run_the_gap_moved()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule occurrences spring", o => o.WithScheduleJobs().WithFakeTime(Utc("2026-03-28T12:00:00Z")));
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        using var configured = await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { cron = "30 2 * * *", timeZone = "Europe/Zurich" });
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);

        using var response = await api.Client.GetAsync($"/api/schedules/{ReportJob.JobName}/occurrences?count=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["job", "cron", "timeZone", "enabled", "after", "occurrences"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal((ReportJob.JobName, "30 2 * * *", "Europe/Zurich", true, "2026-03-28T12:00:00Z"), (body.GetProperty("job").GetString(),
            body.GetProperty("cron").GetString(), body.GetProperty("timeZone").GetString(), body.GetProperty("enabled").GetBoolean(), body.GetProperty("after").GetString()));
        // 02:30 does not exist on 29 March: Cronos runs at 03:00 CEST (01:00Z), the first instant after the gap.
        Assert.Equal(
            [
                ("2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00", true, "2026-03-29T02:30:00", null,
                    "02:30 does not exist in Europe/Zurich on 2026-03-29 (the clocks jump from 02:00 to 03:00), so this run moves to 03:00, the first instant after the gap."),
                ("2026-03-30T00:30:00Z", "2026-03-30T02:30:00+02:00", false, null, null, null),
            ],
            Occurrences(body));
    }

    [Fact]
    public async Task Occurrences_across_the_fall_back_night_say_which_instance_of_the_repeated_hour_runs()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule occurrences autumn", o => o.WithScheduleJobs());
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        cluster.Time.SetUtcNow(Utc("2026-10-24T12:00:00Z"));
        await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { cron = "30 2 * * *", timeZone = "Europe/Zurich" });
        await api.Client.PutAsJsonAsync($"/api/schedules/{DigestJob.JobName}", new { cron = "*/30 2 * * *", timeZone = "Europe/Zurich" });

        var fixedTime = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{ReportJob.JobName}/occurrences?count=2");
        var interval = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{DigestJob.JobName}/occurrences?count=4");

        // A fixed time runs in the first 02:30 (CEST, 00:30Z) only; the next day is plain winter time.
        Assert.Equal(
            [
                ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00", false, null, "first",
                    "02:30 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the first, at +02:00; the second, at +01:00, does not run."),
                ("2026-10-26T01:30:00Z", "2026-10-26T02:30:00+01:00", false, null, null, null),
            ],
            Occurrences(fixedTime));
        // An interval runs in both instances of the repeated hour.
        Assert.Equal(
            [
                ("2026-10-25T00:00:00Z", "2026-10-25T02:00:00+02:00", false, null, "first",
                    "02:00 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the first, at +02:00; the second, at +01:00, runs too."),
                ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00", false, null, "first",
                    "02:30 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the first, at +02:00; the second, at +01:00, runs too."),
                ("2026-10-25T01:00:00Z", "2026-10-25T02:00:00+01:00", false, null, "second",
                    "02:00 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the second, at +01:00; the first, at +02:00, runs too."),
                ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00", false, null, "second",
                    "02:30 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the second, at +01:00; the first, at +02:00, runs too."),
            ],
            Occurrences(interval));
    }

    [Fact]
    public async Task Occurrences_need_a_count_of_1_to_100_and_a_schedule()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule occurrences validation", o => o.WithScheduleJobs());
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        await api.Client.PutAsJsonAsync($"/api/schedules/{ReportJob.JobName}", new { cron = "0 6 * * *", timeZone = "Europe/Zurich" });

        foreach (var count in new[] { "0", "101", "abc", "-1", "" })
        {
            using var refused = await api.Client.GetAsync($"/api/schedules/{ReportJob.JobName}/occurrences?count={count}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            var error = Assert.Single(errors.EnumerateObject());
            Assert.Equal(("count", $"A whole number from 1 to 100; was '{count}'."), (error.Name, error.Value[0].GetString()));
        }

        var byDefault = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{ReportJob.JobName}/occurrences");
        Assert.Equal(
            ["2026-05-01T04:00:00Z", "2026-05-02T04:00:00Z", "2026-05-03T04:00:00Z", "2026-05-04T04:00:00Z", "2026-05-05T04:00:00Z"],
            byDefault.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("utc").GetString()));
        var most = await api.Client.GetFromJsonAsync<JsonElement>($"/api/schedules/{ReportJob.JobName}/occurrences?count=100");
        Assert.Equal(100, most.GetProperty("occurrences").GetArrayLength());
        Assert.Equal("2026-08-08T04:00:00Z", most.GetProperty("occurrences")[99].GetProperty("utc").GetString());

        using var both = await api.Client.GetAsync("/api/schedules/bad%20name/occurrences?count=0");
        Assert.Equal(["count", "job"], (await both.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        using var unknown = await api.Client.GetAsync("/api/schedules/no_such_job/occurrences");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("There is no job named 'no_such_job'. GET /api/schedules lists the scheduled jobs.",
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var unscheduled = await api.Client.GetAsync($"/api/schedules/{DigestJob.JobName}/occurrences?count=3");
        Assert.Equal(HttpStatusCode.NotFound, unscheduled.StatusCode);
        Assert.Equal("Job 'test_digest' has no schedule. PUT /api/schedules/test_digest with a cron creates one.",
            (await unscheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_json_type_names_the_field_and_what_it_must_be_never_a_dotnet_type()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule api json types", o => o.WithScheduleJobs());
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

    private static List<(string? Utc, string? Local, bool Moved, string? MovedFrom, string? Overlap, string? Note)> Occurrences(JsonElement body) =>
        body.GetProperty("occurrences").EnumerateArray().Select(o =>
        {
            Assert.Equal(["utc", "local", "movedByDstGap", "movedFrom", "dstOverlap", "note"], o.EnumerateObject().Select(p => p.Name));
            return (o.GetProperty("utc").GetString(), o.GetProperty("local").GetString(), o.GetProperty("movedByDstGap").GetBoolean(),
                o.GetProperty("movedFrom").GetString(), o.GetProperty("dstOverlap").GetString(), o.GetProperty("note").GetString());
        }).ToList();
}
