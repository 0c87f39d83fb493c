using System.Globalization;

namespace Tributary.Cluster.Tests.Vestr;

/// <summary>The Vestr fee sync end to end: silo processes, the gateway over HTTP, the Keycloak and Vestr simulators, a real PostgreSQL.</summary>
public sealed class VestrFeeTests
{
    [Fact]
    public async Task A_full_sync_equals_Vestrs_history_to_the_cent_a_second_sync_updates_exactly_the_corrections_and_no_secret_shows()
    {
        await using var vestr = await VestrSync.StartAsync("vestr_full");

        Assert.Equal("succeeded", (await vestr.SyncAsync(new { force_full = true })).Status);
        var history = await vestr.DeductionsAsync();
        Assert.Equal(history.Count, await vestr.ScalarAsync("SELECT count(*) FROM vestr_fee_records"));
        Assert.True(history.Select(d => d.Currency).Distinct().Count() >= 2, "the simulator's products use at least two currencies");
        await AssertAggregatesAsync(vestr, history);

        // An incremental sync of the last 30 days: everything it reads is stored already.
        var (again, status) = await vestr.SyncAsync(new { days = 30 });
        Assert.Equal("succeeded", status);
        var unchanged = await vestr.GetAsync("/api/vestr/syncs?limit=1");
        Assert.Equal(again, unchanged[0].GetProperty("sync_id").GetString());
        Assert.Equal(0, unchanged[0].GetProperty("inserted").GetInt32());
        Assert.Equal(0, unchanged[0].GetProperty("updated").GetInt32());
        var before = await vestr.AggregatesAsync();

        var corrections = await (await vestr.Simulator.Admin.PostAsJsonAsync("/_admin/vestr/corrections", new { count = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        var corrected = corrections.GetProperty("corrections").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("amount").GetDecimal());
        Assert.Equal(3, corrected.Count);
        Assert.Equal("succeeded", (await vestr.SyncAsync(new { days = 30 })).Status);
        var correctedSync = (await vestr.GetAsync("/api/vestr/syncs?limit=1"))[0];
        Assert.Equal(0, correctedSync.GetProperty("inserted").GetInt32());
        Assert.Equal(3, correctedSync.GetProperty("updated").GetInt32());
        history = await vestr.DeductionsAsync();
        foreach (var (id, amount) in corrected)
        {
            Assert.Equal(amount, history.Single(d => d.Id == id).Amount);
        }

        await AssertAggregatesAsync(vestr, history);

        // Rebookings move records to another product: the days they left are refreshed too, not only the days read.
        var rebookings = await (await vestr.Simulator.Admin.PostAsJsonAsync("/_admin/vestr/corrections", new { count = 2, rebook = true })).Content.ReadFromJsonAsync<JsonElement>();
        var rebooked = rebookings.GetProperty("corrections").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("productIsin").GetString()!);
        Assert.Equal(2, rebooked.Count);
        Assert.All(rebookings.GetProperty("corrections").EnumerateArray(),
            c => Assert.NotEqual(c.GetProperty("previousProductIsin").GetString(), c.GetProperty("productIsin").GetString()));
        Assert.Equal("succeeded", (await vestr.SyncAsync(new { days = 30 })).Status);
        Assert.Equal(2, (await vestr.GetAsync("/api/vestr/syncs?limit=1"))[0].GetProperty("updated").GetInt32());
        history = await vestr.DeductionsAsync();
        foreach (var (id, isin) in rebooked)
        {
            Assert.Equal(isin, history.Single(d => d.Id == id).ProductIsin);
        }

        await AssertAggregatesAsync(vestr, history);
        Assert.Equal(0, await vestr.ScalarAsync("SELECT count(*) FROM vestr_fee_moved_days"));

        // The same sync again changes no aggregate.
        var settled = await vestr.AggregatesAsync();
        Assert.NotEqual(before, settled);
        Assert.Equal("succeeded", (await vestr.SyncAsync(new { days = 30 })).Status);
        Assert.Equal(settled, await vestr.AggregatesAsync());

        // Every record through the paged route, once each.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await vestr.GetAsync("/api/vestr/fees?limit=97" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(history.Select(d => d.Id).Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));

        // Bad input names its field and starts nothing.
        foreach (var (path, field) in new[]
                 {
                     ("/api/vestr/fees?from=2026-13-01", "from"), ("/api/vestr/fees?isin=nope", "isin"), ("/api/vestr/fees?fee_type=entry", "fee_type"),
                     ("/api/vestr/fees?limit=0", "limit"), ("/api/vestr/fees?cursor=zzz", "cursor"), ("/api/vestr/summaries/daily?from=2026-02-01&to=2026-01-01", "from"),
                     ("/api/vestr/products/nope/snapshot", "isin"),
                 })
        {
            var response = await vestr.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), $"{path}: no error on {field}");
        }

        var runs = await vestr.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'vestr_fees'");
        var badSync = await vestr.Client.PostAsJsonAsync("/api/vestr/sync", new { days = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badSync.StatusCode);
        Assert.True((await badSync.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("days", out _));
        Assert.Equal(runs, await vestr.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'vestr_fees'"));
        Assert.Equal(HttpStatusCode.NotFound, (await vestr.Client.GetAsync("/api/vestr/products/CH0000000000/snapshot")).StatusCode);

        // Alone, the sync's schedule is there but paused (the integrated sync runs it at 17:10).
        var schedule = await vestr.GetAsync("/api/schedules/vestr_fees");
        Assert.False(schedule.GetProperty("enabled").GetBoolean());

        var dump = await DatabaseDump.DumpAsync(vestr.Cluster.Settings.ConnectionString);
        var logs = string.Join('\n', vestr.Cluster.Silos.Select(s => s.Output));
        foreach (var secret in new[] { Simulator.VestrPassword, Simulator.VestrTotpSecret })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.All(vestr.Bodies, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_clock_90_s_off_fails_the_sync_with_the_drift_sentence_and_an_expired_token_costs_one_new_login()
    {
        await using var vestr = await VestrSync.StartAsync("vestr_login", silo: new Dictionary<string, string> { ["Jobs:vestr_fees:MaxAttempts"] = "1" });
        Assert.Equal("succeeded", (await vestr.SyncAsync(new { days = 10 })).Status);
        var logins = (await vestr.Simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/keycloak")).GetProperty("logins").GetProperty("browser").GetInt32();
        Assert.Equal(1, logins);

        // Tokens expire at Vestr while the silo still holds one: the next sync logs in once more and goes on.
        Assert.True((await vestr.Simulator.Admin.PostAsync("/_admin/keycloak/expire-tokens", null)).IsSuccessStatusCode);
        Assert.Equal("succeeded", (await vestr.SyncAsync(new { days = 10 })).Status);
        Assert.Equal(2, (await vestr.Simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/keycloak")).GetProperty("logins").GetProperty("browser").GetInt32());

        Assert.True((await vestr.Simulator.Admin.PutAsJsonAsync("/_admin/keycloak/clock", new { skewSeconds = 90 })).IsSuccessStatusCode);
        Assert.True((await vestr.Simulator.Admin.PostAsync("/_admin/keycloak/expire-tokens", null)).IsSuccessStatusCode);
        var (runId, status) = await vestr.SyncAsync(new { days = 10 });
        Assert.Equal("failed", status);
        var run = await vestr.GetAsync($"/api/etl/runs/{runId}");
        var errors = string.Join('\n', run.GetProperty("batches").EnumerateArray().Select(b => b.GetProperty("error").GetString()));
        Assert.Contains("clock drift of 90 s: TOTP codes will fail; fix the system clock", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_killed_mid_sync_leaves_it_to_the_survivor_with_no_record_missing_or_twice()
    {
        await using var vestr = await VestrSync.StartAsync("vestr_kill", products: 20, siloCount: 2);
        Assert.True((await vestr.Simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "vestr.graphql", kind = "latency", latencyMs = 150 })).IsSuccessStatusCode);

        var runId = await vestr.StartSyncAsync(new { force_full = true });
        await Eventually.TrueAsync(async () => await vestr.ScalarAsync("SELECT count(*) FROM vestr_fee_records") >= 300, "300 fee records are stored");
        var victim = vestr.Cluster.Silos.Single(s => s.Output.Contains($"Run {VestrSync.Job}/{runId} started", StringComparison.Ordinal));
        var survivor = vestr.Cluster.Silos.Single(s => s != victim);
        victim.Kill();
        var history = await vestr.DeductionsAsync();
        Assert.InRange(await vestr.ScalarAsync("SELECT count(*) FROM vestr_fee_records"), 300, history.Count - 1);

        Assert.Equal("succeeded", await vestr.WaitForRunAsync(runId));

        Assert.Contains($"Run {VestrSync.Job}/{runId} resuming from its checkpoint", survivor.Output, StringComparison.Ordinal);
        Assert.Equal(history.Count, await vestr.ScalarAsync("SELECT count(*) FROM vestr_fee_records"));
        Assert.Equal(history.Select(d => d.Id).Order(StringComparer.Ordinal), (await vestr.GetAllFeeIdsAsync()).Order(StringComparer.Ordinal));
        await AssertAggregatesAsync(vestr, history);
    }

    /// <summary>The gateway's summaries, totals and snapshots against LINQ over the simulator's own data, to the cent.</summary>
    private static async Task AssertAggregatesAsync(VestrSync vestr, IReadOnlyList<VestrSync.Deduction> history)
    {
        var monthly = await vestr.GetAsync("/api/vestr/summaries/monthly");
        var expectedMonthly = history
            .GroupBy(d => (Month: new DateOnly(d.BookingDate.Year, d.BookingDate.Month, 1), d.ProductIsin, d.FeeType, d.Currency))
            .Select(g => $"{g.Key.Month:yyyy-MM-dd}|{g.Key.ProductIsin}|{g.Key.FeeType}|{g.Key.Currency}|{g.Sum(d => d.Amount):0.00}|{g.Count()}")
            .Order(StringComparer.Ordinal).ToList();
        var actualMonthly = monthly.EnumerateArray()
            .Select(s => $"{s.GetProperty("period").GetString()}|{s.GetProperty("product_isin").GetString()}|{s.GetProperty("fee_type").GetString()}|{s.GetProperty("currency").GetString()}|{s.GetProperty("total_amount").GetDecimal():0.00}|{s.GetProperty("record_count").GetInt32()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedMonthly, actualMonthly);

        var products = await vestr.GetAsync("/api/vestr/products");
        var expectedTotals = history.GroupBy(d => (d.ProductIsin, d.Currency))
            .Select(g => $"{g.Key.ProductIsin}|{g.Key.Currency}|{g.Sum(d => d.Amount):0.00}|{g.Count()}").Order(StringComparer.Ordinal).ToList();
        var actualTotals = products.EnumerateArray()
            .Select(t => $"{t.GetProperty("product_isin").GetString()}|{t.GetProperty("currency").GetString()}|{t.GetProperty("total_amount").GetDecimal():0.00}|{t.GetProperty("record_count").GetInt32()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedTotals, actualTotals);

        var snapshots = (await vestr.GetAsync("/api/vestr/snapshots")).EnumerateArray().ToDictionary(s => s.GetProperty("product_isin").GetString()!);
        foreach (var product in history.GroupBy(d => d.ProductIsin))
        {
            var snapshot = snapshots[product.Key];
            var latest = product.MaxBy(d => (d.BookingDate, d.Id), Comparer<(DateOnly, string)>.Create((a, b) =>
                a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2)))!;
            Assert.Equal(latest.Amount, snapshot.GetProperty("latest").GetProperty("amount").GetDecimal());
            Assert.Equal(latest.FeeType, snapshot.GetProperty("latest_type").GetString());
            foreach (var (type, field) in new[] { ("MANAGEMENT", "management"), ("PERFORMANCE", "performance"), ("CUSTODY", "custody") })
            {
                var last = product.Where(d => d.FeeType == type).OrderBy(d => d.BookingDate).ThenBy(d => d.Id, StringComparer.Ordinal).LastOrDefault();
                if (last is null)
                {
                    Assert.Equal(JsonValueKind.Null, snapshot.GetProperty(field).ValueKind);
                }
                else
                {
                    Assert.Equal(last.BookingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), snapshot.GetProperty(field).GetProperty("booking_date").GetString());
                    Assert.Equal(last.Amount, snapshot.GetProperty(field).GetProperty("amount").GetDecimal());
                }
            }
        }
    }
}
