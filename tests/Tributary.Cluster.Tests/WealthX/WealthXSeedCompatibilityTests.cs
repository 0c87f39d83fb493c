using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Cluster.Tests.WealthX;

/// <summary>
/// WealthX as the seed script's users knew it (issue 11): <c>progress.json</c>'s own fields in the status, a
/// <c>maxBatches</c> JSON body that is obeyed (and bodies that are refused before anything starts), and the
/// connection check of <c>test_wealthx_api.py</c>. Silo processes, the gateway and the simulator, over loopback.
/// </summary>
public sealed partial class WealthXSeedCompatibilityTests
{
    private const string Zone = "Europe/Zurich";

    /// <summary>The keys of the seed's <c>progress.json</c> example.</summary>
    private static readonly string[] ProgressJsonKeys =
        ["last_processed_index", "total_records", "records_processed", "session_id", "session_start", "completion_percentage", "estimated_remaining_days"];

    [Fact]
    public async Task The_status_reads_as_progress_json_and_a_session_takes_maxBatches_from_its_JSON_body()
    {
        // Three sessions a week (tomorrow, so none starts during the test) of 2,000 records: 6,000 a week.
        var tomorrow = (int)DateTime.UtcNow.AddDays(1).DayOfWeek;
        await using var pull = await WealthXPull.StartAsync("wealthx_seed_status", new Dictionary<string, string>
        {
            ["WealthX:MinCallInterval"] = "00:00:00.100",
            ["WealthX:SessionSize"] = "2000",
            ["WealthX:TimeZone"] = Zone,
            ["Jobs:wealthx_default:Schedule:Cron"] = $"0 8,14,20 * * {tomorrow}",
            ["Jobs:wealthx_default:Schedule:TimeZone"] = Zone,
            ["Jobs:wealthx_default:Schedule:Enabled"] = "true",
        });

        var before = await ProgressJsonAsync(pull);
        Assert.Equal(0, before["last_processed_index"].GetInt32());
        Assert.Equal(JsonValueKind.Null, before["total_records"].ValueKind);
        Assert.Equal(0, before["records_processed"].GetInt64());
        Assert.Equal(JsonValueKind.Null, before["session_id"].ValueKind);
        Assert.Equal(JsonValueKind.Null, before["session_start"].ValueKind);

        // The seed's users sent the body with curl -d, which says application/x-www-form-urlencoded: still JSON here.
        var started = await pull.Client.PostAsync("/api/wealthx/default/sessions", new StringContent("""{"maxBatches":3}""", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        Assert.Equal("succeeded", await pull.WaitForRunAsync(runId));
        Assert.Equal(["1-500", "501-1000", "1001-1500"], (await pull.CallsAsync()).Select(c => c.Range));

        var progress = await ProgressJsonAsync(pull);
        var status = await pull.StatusAsync();
        Assert.Equal(1_500, progress["last_processed_index"].GetInt32());
        Assert.Equal(420_000, progress["total_records"].GetInt32());
        Assert.Equal(1_500, progress["records_processed"].GetInt64());
        Assert.Equal(0.36, progress["completion_percentage"].GetDouble());
        Assert.Equal(Math.Round(418_500 / (3.0 / 7 * 2_000), 2, MidpointRounding.AwayFromZero), progress["estimated_remaining_days"].GetDouble());
        var sessionStartedAt = TimeZoneInfo.ConvertTime(status.GetProperty("last_session").GetProperty("started_at").GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById(Zone));
        var sessionId = progress["session_id"].GetString()!;
        Assert.Matches(SessionIdPattern(), sessionId);
        Assert.Equal(sessionStartedAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture), sessionId);
        var sessionStart = progress["session_start"].GetString()!;
        var local = DateTime.ParseExact(sessionStart, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.None);
        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
        Assert.Equal(sessionStartedAt.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture), sessionStart);
        Assert.Equal(1_501, status.GetProperty("current_index").GetInt32());
        Assert.Equal(1_500, status.GetProperty("records_in_store").GetInt64());

        // Refused bodies name the field, and nothing starts.
        var runs = await pull.ScalarAsync("SELECT count(*) FROM job_runs");
        var calls = (await pull.CallsAsync()).Count;
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", """{"maxBatch":3}""", "maxBatch");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", """{"maxBatches":""", "maxBatches");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", "maxBatches=3", "body");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", """{"maxBatches":"three"}""", "maxBatches");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", """{"maxBatches":0}""", "maxBatches");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions?maxBatches=2", """{"maxBatches":3}""", "maxBatches");
        await AssertRefusedAsync(pull, "/api/wealthx/default/sessions", "[3]", "body");
        await AssertRefusedAsync(pull, "/api/etl/wealthx_default/runs", """{"accountId":"a-1"}""", "accountId");
        await AssertRefusedAsync(pull, "/api/etl/wealthx_default/runs?from=2025-01-01", """{"from":"2025-01-02"}""", "from");
        await AssertRefusedAsync(pull, "/api/schedules/wealthx_default/trigger", """{"now":true}""", "now");
        await AssertRefusedAsync(pull, "/api/etl/dead-letters/1/replay", """{"force":true}""", "force");
        await AssertRefusedAsync(pull, "/api/etl/dead-letters/replay", """{"jobs":"wealthx_default"}""", "jobs");
        await AssertRefusedAsync(pull, "/api/wealthx/default/check", """{"records":1}""", "records");
        await AssertRefusedAsync(pull, "/api/wealthx/default/cleanup", """{"dryRun":true}""", "dryRun", pull.AdminClient);
        await AssertRefusedAsync(pull, "/api/wealthx/default/reset", """{"confirm":true,"keepData":false}""", "keepData", pull.AdminClient);
        Assert.Equal(runs, await pull.ScalarAsync("SELECT count(*) FROM job_runs"));
        Assert.Equal(calls, (await pull.CallsAsync()).Count);

        // The same value in the query and the body is one value.
        var both = await pull.Client.PostAsync("/api/wealthx/default/sessions?maxBatches=1", JsonContent.Create(new { maxBatches = 1 }));
        Assert.Equal(HttpStatusCode.Accepted, both.StatusCode);
        Assert.Equal("succeeded", await pull.WaitForRunAsync((await both.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!));
        Assert.Equal("1501-2000", (await pull.CallsAsync())[^1].Range);
        Assert.Equal(2_000, (await ProgressJsonAsync(pull))["last_processed_index"].GetInt32());
        Assert.Equal(2_000, (await pull.StatusAsync()).GetProperty("records_in_store").GetInt64());
    }

    [Fact]
    public async Task The_connection_check_makes_two_spaced_calls_reports_the_login_total_limit_and_round_trip_and_stores_nothing()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_seed_check", new Dictionary<string, string>
        {
            ["WealthX:MinCallInterval"] = "00:00:00.300",
            ["WealthX:Feeds:locked:Username"] = Simulator.WealthXUser,
            ["WealthX:Feeds:locked:Password"] = "not-the-password",
            ["Jobs:wealthx_locked:Schedule:Cron"] = "0 0 1 1 *",
            ["Jobs:wealthx_locked:Schedule:Enabled"] = "false",
        });
        Assert.Equal("succeeded", (await pull.RunSessionAsync(maxBatches: 1)).Status);
        var runs = await pull.ScalarAsync("SELECT count(*) FROM job_runs");

        var response = await pull.Client.PostAsync("/api/wealthx/default/check", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(check.GetProperty("login_ok").GetBoolean());
        Assert.Equal(420_000, check.GetProperty("total_records").GetInt32());
        Assert.Equal(500, check.GetProperty("per_call_limit").GetInt32());
        Assert.True(check.GetProperty("limit_enforced").GetBoolean());
        Assert.Equal(2, check.GetProperty("calls").GetInt32());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("message").ValueKind);
        var calls = (await pull.CallsAsync()).Skip(1).ToList();
        Assert.Equal([("1-1", 200), ("1-501", 400)], calls.Select(c => (c.Range, c.Status ?? 0)));
        Assert.InRange(check.GetProperty("round_trip_ms").GetDouble(), 0.0, 30_000.0);
        // Through the feed's rate limiter: after the session's last call, and after each other, by the interval.
        var all = await pull.CallsAsync();
        foreach (var (earlier, later) in all.Zip(all.Skip(1)))
        {
            Assert.True(later.At - earlier.At >= TimeSpan.FromMilliseconds(300), $"calls {earlier.Range} and {later.Range} came {(later.At - earlier.At).TotalMilliseconds} ms apart");
        }

        var status = await pull.StatusAsync();
        Assert.Equal((501, 500L), (status.GetProperty("current_index").GetInt32(), status.GetProperty("records_in_store").GetInt64()));
        Assert.Equal(500L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        Assert.Equal(runs, await pull.ScalarAsync("SELECT count(*) FROM job_runs"));

        var locked = await pull.Client.PostAsync("/api/wealthx/locked/check", null);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var refused = await locked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(refused.GetProperty("login_ok").GetBoolean());
        Assert.Contains("credentials rejected", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, refused.GetProperty("calls").GetInt32());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("total_records").ValueKind);
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("limit_enforced").ValueKind);
        Assert.Equal(("1-1", 401), (await pull.CallsAsync()).Select(c => (c.Range, c.Status ?? 0)).Last());
        var lockedStatus = await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/locked/status");
        Assert.Equal((1, 0L), (lockedStatus.GetProperty("current_index").GetInt32(), lockedStatus.GetProperty("records_in_store").GetInt64()));
        Assert.Equal(JsonValueKind.Null, lockedStatus.GetProperty("last_error").ValueKind);
        Assert.Equal(runs, await pull.ScalarAsync("SELECT count(*) FROM job_runs"));
        Assert.Equal(HttpStatusCode.NotFound, (await pull.Client.PostAsync("/api/wealthx/nobody/check", null)).StatusCode);
    }

    /// <summary>The status document read as the seed's tools read <c>progress.json</c>: exactly its example's keys.</summary>
    private static async Task<Dictionary<string, JsonElement>> ProgressJsonAsync(WealthXPull pull)
    {
        var status = await pull.StatusAsync();
        var progress = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var key in ProgressJsonKeys)
        {
            Assert.True(status.TryGetProperty(key, out var value), $"The status has no '{key}': {status}");
            progress[key] = value;
        }

        return progress;
    }

    private static async Task AssertRefusedAsync(WealthXPull pull, string route, string body, string field, HttpClient? client = null)
    {
        var response = await (client ?? pull.Client).PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {route} {body} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"POST {route} {body} did not name '{field}': {text}");
    }

    [GeneratedRegex(@"^\d{8}_\d{6}$")]
    private static partial Regex SessionIdPattern();
}
