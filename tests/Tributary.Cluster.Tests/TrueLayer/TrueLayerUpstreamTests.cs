using System.Globalization;

namespace Tributary.Cluster.Tests.TrueLayer;

/// <summary>What TrueLayer says back: 429s, history behind SCA, expired consent; and what an import adds after it: enrichment, events.</summary>
public sealed class TrueLayerUpstreamTests
{
    private static readonly Dictionary<string, string> FastRetries = new() { ["Jobs:truelayer_import:RetryBaseDelay"] = "00:00:00.050" };

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DaysAgo(int days) => DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_429_pauses_the_connection_for_its_Retry_After_and_old_history_behind_SCA_fails_its_windows_not_the_job()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_throttled", FastRetries);
        var consent = await (await imports.Simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents",
            new { accounts = 2, cards = 0, transactionsPerAccount = 300, pendingPerAccount = 0, historyDays = 200 })).Content.ReadFromJsonAsync<JsonElement>();
        var connection = await imports.LinkAsync(consent.GetProperty("refresh_token").GetString()!);
        var accounts = consent.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!).ToList();
        await imports.Simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "truelayer.transactions", kind = "429", retryAfterSeconds = 2, count = 1 });

        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(59), to_date = Today, max_workers = 2 });
        var status = await imports.RunAsync(plan.GetProperty("job_id").GetString()!);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var calls = await imports.Simulator.RequestsAsync("truelayer.transactions");
        var throttled = calls.Single(c => c.Status == 429);
        var after = calls.Where(c => c.Sequence > throttled.Sequence).ToList();
        Assert.Equal(2 * 2, calls.Count(c => c.Status == 200));
        // The other worker's call may already be on its way while the 429 is answered; every call sent after the pause
        // reached the limiter waits the full Retry-After.
        var inFlight = TimeSpan.FromMilliseconds(250);
        Assert.True(after.Count(c => c.TimeUtc - throttled.TimeUtc < inFlight) <= 1, "more than one call was already on its way as the 429 was answered");
        Assert.All(after.Where(c => c.TimeUtc - throttled.TimeUtc >= inFlight), c => Assert.True(c.TimeUtc - throttled.TimeUtc >= TimeSpan.FromSeconds(2),
            $"{c.PathAndQuery} came {(c.TimeUtc - throttled.TimeUtc).TotalMilliseconds} ms after the 429 that asked for 2 s"));
        foreach (var account in accounts)
        {
            Assert.Equal(await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE account_id = @a", ("a", account)),
                TrueLayerImports.Account(status, account).GetProperty("synced").GetInt32());
        }

        var aged = await imports.Simulator.Admin.PostAsync($"/_admin/truelayer/consents/{consent.GetProperty("credentials_id").GetString()}/sca-expired", null);
        Assert.True(aged.IsSuccessStatusCode);
        var old = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(149), to_date = Today });
        var behindSca = await imports.RunAsync(old.GetProperty("job_id").GetString()!);

        Assert.Equal("completed", behindSca.GetProperty("status").GetString());
        foreach (var account in accounts)
        {
            var entry = TrueLayerImports.Account(behindSca, account);
            Assert.Equal("completed", entry.GetProperty("status").GetString());
            var message = entry.GetProperty("message").GetString()!;
            Assert.Contains($"Transactions from {DaysAgo(149)} to {DaysAgo(120)}", message, StringComparison.Ordinal);
            Assert.Contains($"Transactions from {DaysAgo(119)} to {DaysAgo(90)}", message, StringComparison.Ordinal);
            Assert.DoesNotContain($"Transactions from {DaysAgo(89)}", message, StringComparison.Ordinal);
            Assert.Contains("authenticate again (SCA)", message, StringComparison.Ordinal);
            Assert.Contains("Reconnect the bank", message, StringComparison.Ordinal);
        }

        // Its windows are 30 days from 149 days back: the two starting more than 90 days back were refused, the rest went through.
        Assert.Equal(0L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE booked_at < @cutoff",
            ("cutoff", new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-89), TimeSpan.Zero))));
        Assert.Equal(behindSca.GetProperty("total_so_far").GetProperty("duplicates").GetInt64() + behindSca.GetProperty("total_so_far").GetProperty("synced").GetInt64(),
            await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
    }

    [Fact]
    public async Task An_expired_consent_marks_the_connection_reauth_required_and_the_import_says_so()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_reauth", FastRetries,
            new Dictionary<string, string> { ["Simulators:TrueLayer:AccessTokenSeconds"] = "60" });
        var consent = await (await imports.Simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents",
            new { accounts = 2, cards = 0, transactionsPerAccount = 20 })).Content.ReadFromJsonAsync<JsonElement>();
        var connection = await imports.LinkAsync(consent.GetProperty("refresh_token").GetString()!);
        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(30), to_date = Today });
        var expired = await imports.Simulator.Admin.PostAsync($"/_admin/truelayer/consents/{consent.GetProperty("credentials_id").GetString()}/expire", null);
        Assert.True(expired.IsSuccessStatusCode);

        var status = await imports.RunAsync(plan.GetProperty("job_id").GetString()!);

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("accounts").EnumerateArray(), a =>
        {
            Assert.Equal("failed", a.GetProperty("status").GetString());
            Assert.Contains("connect the bank again through GET /api/truelayer/connect", a.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
        var view = await imports.Client.GetFromJsonAsync<JsonElement>($"/api/truelayer/connections/{connection}");
        Assert.Equal("reauth_required", view.GetProperty("status").GetString());
        Assert.Contains("expired or was revoked", view.GetProperty("status_message").GetString(), StringComparison.Ordinal);
        var again = await imports.Client.PostAsJsonAsync("/api/truelayer/import/plan", new { connection_id = connection, from_date = DaysAgo(3), to_date = Today });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("connect it again", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("connection_id")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
    }

    [Fact]
    public async Task Auto_enrich_categorises_what_the_import_stored_and_each_committed_step_is_one_progress_event()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_enrich");
        var (token, accounts) = await imports.ConsentAsync(accounts: 2, transactionsPerAccount: 80, pendingPerAccount: 2);
        var connection = await imports.LinkAsync(token);

        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(400), to_date = Today, auto_enrich = true });
        Assert.NotEqual(0m, plan.GetProperty("estimated_cost").GetDecimal());
        var jobId = plan.GetProperty("job_id").GetString()!;
        Assert.Equal("completed", (await imports.RunAsync(jobId)).GetProperty("status").GetString());

        var enrichment = await Eventually.ValueAsync<JsonElement?>(async () =>
        {
            var response = await imports.Client.GetAsync($"/api/truelayer/enrichment/{jobId}");
            var body = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            return response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == "completed" ? body : null;
        }, "the import's enrichment completes");
        Assert.Equal(jobId, enrichment!.Value.GetProperty("import_job_id").GetString());
        var categorised = await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE category IS NOT NULL AND import_job_id = @j", ("j", Guid.Parse(jobId)));
        Assert.Equal(categorised, enrichment.Value.GetProperty("categorised").GetInt32());
        var tesco = await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE merchant_name ILIKE '%tesco%'");
        Assert.NotEqual(0L, tesco);
        Assert.Equal(tesco, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE merchant_name ILIKE '%tesco%' AND category = 'Groceries' AND category_source = 'rules'"));

        // One event per committed unit: each account's pending list and its 14 windows of 30 days over 401 days.
        Assert.Equal(2L * 15, await imports.ScalarAsync(
            "SELECT count(*) FROM event_outbox WHERE type = 'tributary.truelayer.import.progress' AND event->'data'->>'job_id' = @j", ("j", jobId)));

        var bad = await imports.Client.PostAsJsonAsync("/api/truelayer/enrichment", new { connection_id = connection, from_date = "yesterday", to_date = Today });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from_date", out _));
        var range = await imports.Client.PostAsJsonAsync("/api/truelayer/enrichment", new { connection_id = connection, account_ids = new[] { accounts[0] }, from_date = DaysAgo(30), to_date = Today });
        Assert.Equal(HttpStatusCode.Accepted, range.StatusCode);
        var rangeId = (await range.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enrichment_job_id").GetString()!;
        var done = await Eventually.ValueAsync<JsonElement?>(async () =>
        {
            var body = await imports.Client.GetFromJsonAsync<JsonElement>($"/api/truelayer/enrichment/{rangeId}");
            return body.GetProperty("status").GetString() == "completed" ? body : null;
        }, "the range's enrichment completes");
        Assert.Equal(await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE account_id = @a AND booked_at >= @from AND category IS NOT NULL",
                ("a", accounts[0]), ("from", new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-30), TimeSpan.Zero))),
            done!.Value.GetProperty("categorised").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/enrichment/{rangeId}")).StatusCode);
    }
}
