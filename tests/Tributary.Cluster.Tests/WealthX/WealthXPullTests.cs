using Tributary.Simulators.WealthX;

namespace Tributary.Cluster.Tests.WealthX;

/// <summary>
/// The WealthX pull end to end: silo processes on PostgreSQL, the gateway, and the simulator over loopback HTTP,
/// whose request log is the witness of what the pull asked for and when.
/// </summary>
public sealed class WealthXPullTests
{
    private static readonly Dictionary<string, string> FastCalls = new() { ["WealthX:MinCallInterval"] = "00:00:00.100" };

    [Fact]
    public async Task A_14000_record_session_is_exactly_28_calls_of_500_stored_once_with_a_progress_event_per_page()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_session", FastCalls);
        using var events = await SseReader.OpenAsync(pull.Client, "/api/events?job=wealthx_default&type=tributary.job.batch.completed");

        var (_, status) = await pull.RunSessionAsync();

        Assert.Equal("succeeded", status);
        var calls = await pull.CallsAsync();
        Assert.Equal(Enumerable.Range(0, 28).Select(p => $"{(p * 500) + 1}-{(p + 1) * 500}"), calls.Select(c => c.Range).Order(new RangeOrder()));
        Assert.All(calls, c => Assert.Equal(200, c.Status));
        AssertSpacing(calls, TimeSpan.FromMilliseconds(100));
        Assert.Equal(14_000L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        Assert.Equal(14_000L, await pull.ScalarAsync($"SELECT count(*) FROM wealthx_dossiers WHERE id BETWEEN {DossierIds.FromIndex(1)} AND {DossierIds.FromIndex(14_000)}"));

        var progress = await pull.StatusAsync();
        Assert.Equal(14_001, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(420_000, progress.GetProperty("total_dossiers").GetInt32());
        Assert.Equal(14_000, progress.GetProperty("records_processed").GetInt64());
        Assert.Equal(14_000, progress.GetProperty("records_in_store").GetInt64());
        Assert.Equal(3.33, progress.GetProperty("completion_percentage").GetDouble());
        Assert.Equal(1, progress.GetProperty("sessions_completed").GetInt32());
        Assert.Equal(29, progress.GetProperty("sessions_remaining").GetInt32());
        Assert.False(progress.GetProperty("complete").GetBoolean());

        var pages = await events.ReadUntilCountAsync(28);
        Assert.Equal(
            Enumerable.Range(0, 28).Select(p => (p * 500) + 1),
            pages.Select(e => e.Data.GetProperty("data").GetProperty("details").GetProperty("fromIndex").GetInt32()).Order());
        Assert.All(pages, e => Assert.Equal(500, e.Data.GetProperty("data").GetProperty("details").GetProperty("records").GetInt32()));
    }

    [Fact]
    public async Task A_total_of_1234_is_read_as_1_500_then_501_1000_then_1001_1234_then_the_pull_is_complete_and_goes_incremental()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_total", FastCalls, new Dictionary<string, string> { ["Simulators:WealthX:TotalDossiers"] = "1234" });

        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);

        var calls = await pull.CallsAsync();
        Assert.Equal(["1-500", "501-1000", "1001-1234"], calls.Select(c => c.Range));
        Assert.All(calls, c => Assert.Null(c.LastModifiedFrom));
        var progress = await pull.StatusAsync();
        Assert.True(progress.GetProperty("complete").GetBoolean());
        Assert.Equal(1_235, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(1_234, progress.GetProperty("records_processed").GetInt64());
        Assert.Equal(100.0, progress.GetProperty("completion_percentage").GetDouble());
        Assert.Equal(0, progress.GetProperty("sessions_remaining").GetInt32());
        Assert.Equal(1_234L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));

        // Complete: the next session asks only for what changed since the pull began, and updates just that.
        var revised = DossierIds.FromIndex(77);
        (await pull.Simulator.Admin.PostAsJsonAsync($"/_admin/wealthx/dossiers/{revised}/revisions", new { })).EnsureSuccessStatusCode();
        var since = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);

        var incremental = (await pull.CallsAsync()).Skip(3).ToList();
        Assert.Equal(["1-500"], incremental.Select(c => c.Range));
        Assert.Equal(since, Assert.Single(incremental).LastModifiedFrom);
        Assert.Equal(1L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers WHERE updated_at > created_at"));
        Assert.Equal(revised, await pull.ScalarAsync("SELECT id FROM wealthx_dossiers WHERE updated_at > created_at"));
        Assert.Equal(1_234L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        progress = await pull.StatusAsync();
        Assert.Equal("incremental", progress.GetProperty("mode").GetString());
        Assert.Equal(1_234, progress.GetProperty("records_processed").GetInt64());
        Assert.Equal(2, progress.GetProperty("sessions_completed").GetInt32());
    }

    [Fact]
    public async Task Stored_dossiers_are_found_by_id_and_searched_by_name_and_category_with_paging()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_lookup", FastCalls, new Dictionary<string, string> { ["Simulators:WealthX:TotalDossiers"] = "1234" });
        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);
        var id = DossierIds.FromIndex(42);

        var found = await pull.Client.GetFromJsonAsync<JsonElement>($"/api/wealthx/default/dossiers/{id}");

        Assert.Equal(id, found.GetProperty("id").GetInt64());
        Assert.Equal(id, found.GetProperty("document").GetProperty("ID").GetInt64());
        Assert.Equal(found.GetProperty("created_at").GetDateTimeOffset(), found.GetProperty("updated_at").GetDateTimeOffset());
        var missing = await pull.Client.GetAsync("/api/wealthx/default/dossiers/99");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var category = await pull.TextAsync($"SELECT category FROM wealthx_dossiers WHERE id = {id}");
        var inCategory = await pull.ScalarAsync($"SELECT count(*) FROM wealthx_dossiers WHERE category = '{category}'");
        var page = await pull.Client.GetFromJsonAsync<JsonElement>($"/api/wealthx/default/dossiers?category={category}&offset=5&limit=10");
        Assert.Equal(inCategory, page.GetProperty("total").GetInt64());
        Assert.Equal(
            await IdsAsync(pull, $"SELECT id FROM wealthx_dossiers WHERE category = '{category}' ORDER BY id OFFSET 5 LIMIT 10"),
            page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        var name = (await pull.TextAsync($"SELECT last_name FROM wealthx_dossiers WHERE id = {id}"))!;
        var byName = await pull.Client.GetFromJsonAsync<JsonElement>($"/api/wealthx/default/dossiers?name={Uri.EscapeDataString(name.ToUpperInvariant())}&limit=1000");
        Assert.Equal(
            await IdsAsync(pull, $"SELECT id FROM wealthx_dossiers WHERE lower(full_name) LIKE lower('%{name.Replace("'", "''", StringComparison.Ordinal)}%') OR lower(first_name) LIKE lower('%{name.Replace("'", "''", StringComparison.Ordinal)}%') OR lower(last_name) LIKE lower('%{name.Replace("'", "''", StringComparison.Ordinal)}%') ORDER BY id"),
            byName.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Contains(id, byName.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        var refused = await pull.Client.GetAsync("/api/wealthx/default/dossiers?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));

        var projection = await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/default/projection");
        Assert.Equal((28, 1_234, 0L), (projection.GetProperty("calls_per_session").GetInt32(), projection.GetProperty("total_dossiers").GetInt32(), projection.GetProperty("records_remaining").GetInt64()));
    }

    private static async Task<List<long>> IdsAsync(WealthXPull pull, string sql)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(pull.Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    [Fact]
    public async Task Calls_keep_the_minimum_interval_and_wait_out_a_Retry_After()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_interval", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "3000",
            ["Jobs:wealthx_default:RetryBaseDelay"] = "00:00:00.050",
        });
        await pull.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "429", retryAfterSeconds = 2, count = 1 });

        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);

        var calls = await pull.CallsAsync();
        Assert.Equal(7, calls.Count);
        var throttled = Assert.Single(calls, c => c.Status == 429);
        Assert.Equal(["1-500", "501-1000", "1001-1500", "1501-2000", "2001-2500", "2501-3000"],
            calls.Where(c => c.Status == 200).Select(c => c.Range).Order(new RangeOrder()));
        AssertSpacing(calls, TimeSpan.FromSeconds(1));
        var after = calls.Where(c => c.Sequence > throttled.Sequence).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, c => Assert.True(c.At - throttled.At >= TimeSpan.FromSeconds(2),
            $"call {c.Range} came {(c.At - throttled.At).TotalMilliseconds} ms after the 429 that asked for 2 s"));
        Assert.Equal(3_000L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
    }

    [Fact]
    public async Task A_silo_killed_mid_session_leaves_the_session_to_the_survivor_which_stores_every_dossier_once()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_kill", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "6000",
            ["WealthX:MinCallInterval"] = "00:00:00.300",
        }, siloCount: 2);

        var runId = await pull.StartSessionAsync();
        await Eventually.TrueAsync(async () => await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers") >= 1_500, "three pages are stored");
        var victim = pull.Cluster.Silos.Single(s => s.Output.Contains($"Run {WealthXPull.Job}/{runId} started", StringComparison.Ordinal));
        var survivor = pull.Cluster.Silos.Single(s => s != victim);
        victim.Kill();
        var before = await pull.CreatedAtAsync();

        Assert.Equal("succeeded", await pull.WaitForRunAsync(runId));

        Assert.Contains($"Run {WealthXPull.Job}/{runId} resuming from its checkpoint", survivor.Output, StringComparison.Ordinal);
        var after = await pull.CreatedAtAsync();
        Assert.Equal(Enumerable.Range(1, 6_000).Select(i => (long)DossierIds.FromIndex(i)), after.Keys.Order());
        Assert.All(before, row => Assert.Equal(row.Value, after[row.Key]));
        var progress = await pull.StatusAsync();
        Assert.Equal(6_001, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(6_000, progress.GetProperty("records_processed").GetInt64());
        // Every range was asked for; only the page in flight at the kill may have been asked for twice.
        var ranges = (await pull.CallsAsync()).Where(c => c.Status == 200).Select(c => c.Range).ToList();
        Assert.Equal(12, ranges.Distinct().Count());
        Assert.InRange(ranges.Count, 12, 13);
    }

    [Fact]
    public async Task MaxBatches_limits_a_session_reset_needs_an_admin_and_confirm_and_keeps_the_data()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_ops", new Dictionary<string, string>(FastCalls) { ["WealthX:SessionSize"] = "2000" });

        Assert.Equal("succeeded", (await pull.RunSessionAsync(maxBatches: 2)).Status);
        Assert.Equal(["1-500", "501-1000"], (await pull.CallsAsync()).Select(c => c.Range).Order(new RangeOrder()));
        Assert.Equal(1_001, (await pull.StatusAsync()).GetProperty("current_index").GetInt32());

        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);
        Assert.Equal(["1001-1500", "1501-2000", "2001-2500", "2501-3000"], (await pull.CallsAsync()).Skip(2).Select(c => c.Range).Order(new RangeOrder()));
        Assert.Equal(3_001, (await pull.StatusAsync()).GetProperty("current_index").GetInt32());
        var created = await pull.CreatedAtAsync();

        var invalid = await pull.Client.PostAsync("/api/wealthx/default/sessions?maxBatches=0", null);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("maxBatches", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await pull.Client.PostAsync("/api/wealthx/default/reset?confirm=true", null)).StatusCode);
        var unconfirmed = await pull.AdminClient.PostAsync("/api/wealthx/default/reset", null);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.True((await unconfirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("confirm", out _));
        Assert.Equal(3_001, (await pull.StatusAsync()).GetProperty("current_index").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await pull.Client.GetAsync("/api/wealthx/other/status")).StatusCode);

        // confirm in the JSON body counts as in the query.
        var reset = await pull.AdminClient.PostAsync("/api/wealthx/default/reset", JsonContent.Create(new { confirm = true }));

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var progress = await pull.StatusAsync();
        Assert.Equal(1, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(0, progress.GetProperty("records_processed").GetInt64());
        Assert.Equal(0, progress.GetProperty("sessions_completed").GetInt32());
        Assert.Equal(3_000, progress.GetProperty("records_in_store").GetInt64());

        // The pull starts over at index 1; what it rewrites keeps its created_at.
        Assert.Equal("succeeded", (await pull.RunSessionAsync(maxBatches: 1)).Status);
        Assert.Equal("1-500", (await pull.CallsAsync())[^1].Range);
        var rewritten = await pull.CreatedAtAsync();
        Assert.Equal(created, rewritten);
    }

    [Fact]
    public async Task Daily_counts_the_records_each_days_pages_stored_and_the_sessions_that_stored_them()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_daily", new Dictionary<string, string>(FastCalls) { ["WealthX:SessionSize"] = "1500" });
        var (early, _) = await pull.RunSessionAsync(maxBatches: 2);
        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);
        // The first session's pages as if they had landed two days ago, one of them three days ago.
        await pull.ExecuteAsync($"UPDATE job_run_batches SET finished_at = finished_at - interval '2 days' WHERE run_id = '{early}'");
        await pull.ExecuteAsync($"UPDATE job_run_batches SET finished_at = finished_at - interval '1 day' WHERE run_id = '{early}' AND batch_index = 0");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var daily = await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/default/daily?days=4");

        Assert.Equal(
            [(Day(today, -3), 500L, 1), (Day(today, -2), 500L, 1), (Day(today, -1), 0L, 0), (Day(today, 0), 1_500L, 1)],
            daily.EnumerateArray().Select(d => (d.GetProperty("day").GetString()!, d.GetProperty("records").GetInt64(), d.GetProperty("sessions").GetInt32())));
        Assert.Equal(30, (await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/default/daily")).GetArrayLength());
        var lastDay = await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/default/daily?days=1");
        Assert.Equal((Day(today, 0), 1_500L), (lastDay[0].GetProperty("day").GetString()!, lastDay[0].GetProperty("records").GetInt64()));

        foreach (var (query, field, message) in new[]
        {
            ("days=0", "days", "A whole number from 1 to 366; was '0'."),
            ("days=367", "days", "A whole number from 1 to 366; was '367'."),
            ("days=week", "days", "A whole number from 1 to 366; was 'week'."),
        })
        {
            var refused = await pull.Client.GetAsync($"/api/wealthx/default/daily?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal([message], (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
        }

        var badFeed = await pull.Client.GetAsync("/api/wealthx/Bad%20Feed/daily");
        Assert.Equal(HttpStatusCode.BadRequest, badFeed.StatusCode);
        Assert.True((await badFeed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("feed", out _));
        var unknown = await pull.Client.GetAsync("/api/wealthx/other/daily");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    private static string Day(DateOnly today, int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Rejected_credentials_stop_the_session_after_one_call_with_credentials_rejected()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_401", FastCalls, password: "not-the-password");

        var (_, status) = await pull.RunSessionAsync();

        Assert.Equal("failed", status);
        var call = Assert.Single(await pull.CallsAsync());
        Assert.Equal(401, call.Status);
        var progress = await pull.StatusAsync();
        Assert.Contains("credentials rejected", progress.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", progress.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(0, progress.GetProperty("sessions_completed").GetInt32());
        Assert.Equal("failed", progress.GetProperty("last_session").GetProperty("status").GetString());
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
    }

    [Fact]
    public async Task A_range_wider_than_the_account_allows_stops_the_session_with_the_APIs_reason()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_400", FastCalls, new Dictionary<string, string> { ["Simulators:WealthX:MaxRecordsPerCall"] = "200" });

        Assert.Equal("failed", (await pull.RunSessionAsync()).Status);

        var call = Assert.Single(await pull.CallsAsync());
        Assert.Equal((400, "1-500"), (call.Status!.Value, call.Range));
        var progress = await pull.StatusAsync();
        Assert.Contains("Requested 500 records (fromIndex=1, toIndex=500); at most 200 per call.", progress.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, progress.GetProperty("current_index").GetInt32());
    }

    [Fact]
    public async Task A_malformed_page_is_retried_then_fails_the_session_without_moving_the_index()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_malformed", new Dictionary<string, string>(FastCalls)
        {
            ["Jobs:wealthx_default:MaxAttempts"] = "3",
            ["Jobs:wealthx_default:MaxParallelBatches"] = "1",
            ["Jobs:wealthx_default:RetryBaseDelay"] = "00:00:00.050",
        });
        await pull.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "malformed", count = 3 });

        Assert.Equal("failed", (await pull.RunSessionAsync()).Status);

        var calls = await pull.CallsAsync();
        Assert.Equal(["1-500", "1-500", "1-500"], calls.Select(c => c.Range));
        Assert.All(calls, c => Assert.Equal("malformed", c.Fault));
        var progress = await pull.StatusAsync();
        Assert.Contains("malformed body", progress.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));

        // The fault is spent: the next session starts where the failed one did.
        Assert.Equal("succeeded", (await pull.RunSessionAsync(maxBatches: 1)).Status);
        Assert.Equal("1-500", (await pull.CallsAsync())[^1].Range);
        Assert.Equal(501, (await pull.StatusAsync()).GetProperty("current_index").GetInt32());
    }

    [Fact]
    public async Task Cleanup_removes_seeded_duplicate_ids_keeping_the_newest_copy()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_cleanup", FastCalls);
        Assert.Equal("succeeded", (await pull.RunSessionAsync(maxBatches: 1)).Status);
        var clean = await pull.AdminClient.PostAsync("/api/wealthx/default/cleanup", null);
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.Equal(0, (await clean.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed_copies").GetInt64());

        // A restore without the primary key let copies in: 10 IDs twice, 5 of them three times, the copies older.
        await pull.ScalarAsync(
            $"""
            ALTER TABLE wealthx_dossiers DROP CONSTRAINT wealthx_dossiers_pkey;
            INSERT INTO wealthx_dossiers SELECT id, document, content_hash, category, full_name, first_name, last_name, last_modified,
                created_at, updated_at, last_seen_at - interval '1 day' FROM wealthx_dossiers WHERE id <= {DossierIds.FromIndex(10)};
            INSERT INTO wealthx_dossiers SELECT id, document, content_hash, category, full_name, first_name, last_name, last_modified,
                created_at, updated_at, last_seen_at - interval '2 days' FROM wealthx_dossiers WHERE id <= {DossierIds.FromIndex(5)}
                AND last_seen_at = (SELECT max(last_seen_at) FROM wealthx_dossiers);
            SELECT 0;
            """);
        Assert.Equal(515L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        var newest = await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers WHERE last_seen_at = (SELECT max(last_seen_at) FROM wealthx_dossiers)");
        Assert.Equal(HttpStatusCode.Forbidden, (await pull.Client.PostAsync("/api/wealthx/default/cleanup", null)).StatusCode);

        var response = await pull.AdminClient.PostAsync("/api/wealthx/default/cleanup", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((10L, 15L, false), (report.GetProperty("duplicate_ids").GetInt64(), report.GetProperty("removed_copies").GetInt64(), report.GetProperty("unique_index_present").GetBoolean()));
        Assert.Equal(500L, await pull.ScalarAsync("SELECT count(DISTINCT id) FROM wealthx_dossiers"));
        Assert.Equal(500L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        Assert.Equal(newest, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers WHERE last_seen_at = (SELECT max(last_seen_at) FROM wealthx_dossiers)"));
    }

    [Fact]
    public async Task Each_feed_pulls_with_its_own_credentials_into_its_own_store()
    {
        await using var pull = await WealthXPull.StartAsync("wealthx_feeds", new Dictionary<string, string>(FastCalls)
        {
            ["WealthX:Feeds:second:Username"] = Simulator.WealthXUser,
            ["WealthX:Feeds:second:Password"] = Simulator.WealthXPassword,
            ["Jobs:wealthx_second:Schedule:Cron"] = "0 0 1 1 *",
            ["Jobs:wealthx_second:Schedule:Enabled"] = "false",
        }, password: "the-default-feed-has-a-wrong-one");

        var second = await pull.Client.PostAsync("/api/wealthx/second/sessions?maxBatches=2", null);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var secondRun = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        Assert.Equal("succeeded", await pull.WaitForRunAsync(secondRun));
        Assert.Equal("failed", (await pull.RunSessionAsync()).Status);

        Assert.Equal(1_000L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers_second"));
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        var secondStatus = await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/second/status");
        Assert.Equal((1_001, 1_000L), (secondStatus.GetProperty("current_index").GetInt32(), secondStatus.GetProperty("records_in_store").GetInt64()));
        var defaultStatus = await pull.StatusAsync();
        Assert.Equal((1, 0L), (defaultStatus.GetProperty("current_index").GetInt32(), defaultStatus.GetProperty("records_in_store").GetInt64()));
        Assert.Contains("credentials rejected", defaultStatus.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal([200, 200, 401], (await pull.CallsAsync()).Select(c => c.Status ?? 0));
        Assert.Equal(1_000L, (await pull.Client.GetFromJsonAsync<JsonElement>("/api/wealthx/second/dossiers?limit=1")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Bad_WealthX_settings_stop_the_silo_with_sentences_naming_them_and_never_a_password()
    {
        var settings = ClusterSettings.Create("Host=127.0.0.1;Port=1;Username=nobody").ForSilo();
        settings["WealthX:BaseUrl"] = "http://127.0.0.1:1/wealthx/rest/v1/";
        settings["WealthX:Username"] = "someone";
        settings["WealthX:Password"] = "secret-that-must-not-show";
        settings["WealthX:ApiBatchSize"] = "900";
        settings["WealthX:SessionSize"] = "0";
        settings["WealthX:Schedule"] = "61 * * * *";
        settings["WealthX:Feeds:second:Username"] = "another";

        await using var silo = SiloProcess.Start("wealthx-bad-config", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("WealthX:ApiBatchSize must be 1..500, was 900.", silo.Output, StringComparison.Ordinal);
        Assert.Contains("WealthX:SessionSize must be 1..10000000, was 0.", silo.Output, StringComparison.Ordinal);
        Assert.Contains("WealthX:Schedule: ", silo.Output, StringComparison.Ordinal);
        Assert.Contains("WealthX:Feeds:second:Password must be set", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-that-must-not-show", silo.Output, StringComparison.Ordinal);
    }

    /// <summary>No two consecutive calls, as the simulator saw them arrive, closer than <paramref name="interval"/>.</summary>
    private static void AssertSpacing(IReadOnlyList<WealthXCall> calls, TimeSpan interval)
    {
        foreach (var (earlier, later) in calls.Zip(calls.Skip(1)))
        {
            Assert.True(later.At - earlier.At >= interval,
                $"calls {earlier.Range} and {later.Range} arrived {(later.At - earlier.At).TotalMilliseconds} ms apart; the minimum is {interval.TotalMilliseconds} ms");
        }
    }

    /// <summary>Orders <c>from-to</c> ranges by their first index.</summary>
    private sealed class RangeOrder : IComparer<string>
    {
        public int Compare(string? x, string? y) => First(x).CompareTo(First(y));

        private static int First(string? range) => range is null ? 0 : int.Parse(range[..range.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
