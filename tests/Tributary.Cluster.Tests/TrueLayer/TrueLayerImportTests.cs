using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tributary.Storage.Secrets;
using Tributary.TrueLayer;

namespace Tributary.Cluster.Tests.TrueLayer;

/// <summary>Bank imports end to end: silo processes, the gateway over HTTP, the TrueLayer simulator, a real PostgreSQL.</summary>
public sealed class TrueLayerImportTests
{
    /// <summary>Retries of a failing account come quickly.</summary>
    private static readonly Dictionary<string, string> FastRetries = new() { ["Jobs:truelayer_import:RetryBaseDelay"] = "00:00:00.050" };

    private static readonly string[] NotAnAccount = ["not-an-account"];

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DaysAgo(int days) => DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reimport_of_the_same_range_stores_nothing_new_and_reports_every_row_as_a_duplicate_and_a_settled_pending_is_one_row()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_reimport");
        var (token, accounts) = await imports.ConsentAsync(accounts: 2, transactionsPerAccount: 100, pendingPerAccount: 2);
        var connection = await imports.LinkAsync(token);

        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(400), to_date = Today, batch_size = 25 });
        Assert.Equal("planned", plan.GetProperty("status").GetString());
        Assert.Equal(2, plan.GetProperty("estimated_accounts").GetInt32());
        Assert.Equal(401, plan.GetProperty("date_range").GetProperty("days").GetInt32());
        var first = await imports.RunAsync(plan.GetProperty("job_id").GetString()!);

        Assert.Equal("completed", first.GetProperty("status").GetString());
        Assert.Equal(2, first.GetProperty("progress").GetProperty("completed_accounts").GetInt32());
        Assert.Equal(100m, first.GetProperty("progress").GetProperty("percent").GetDecimal());
        foreach (var account in accounts)
        {
            var entry = TrueLayerImports.Account(first, account);
            Assert.Equal("completed", entry.GetProperty("status").GetString());
            Assert.Equal(102, entry.GetProperty("synced").GetInt32());
            Assert.Equal(0, entry.GetProperty("duplicates").GetInt32());
            Assert.Equal(0, entry.GetProperty("errors").GetInt32());
        }

        Assert.Equal(204, first.GetProperty("total_so_far").GetProperty("synced").GetInt64());
        Assert.Equal(204L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal(4L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE pending"));

        foreach (var account in accounts)
        {
            var settled = await imports.Simulator.Admin.PostAsync($"/_admin/truelayer/accounts/{account}/settle", null);
            Assert.True(settled.IsSuccessStatusCode, await settled.Content.ReadAsStringAsync());
        }

        var again = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(400), to_date = Today, batch_size = 25 });
        var second = await imports.RunAsync(again.GetProperty("job_id").GetString()!);

        Assert.Equal("completed", second.GetProperty("status").GetString());
        foreach (var account in accounts)
        {
            var entry = TrueLayerImports.Account(second, account);
            Assert.Equal(0, entry.GetProperty("synced").GetInt32());
            Assert.Equal(102, entry.GetProperty("duplicates").GetInt32());
            Assert.Equal(2, entry.GetProperty("settled").GetInt32());
        }

        Assert.Equal(0, second.GetProperty("total_so_far").GetProperty("synced").GetInt64());
        Assert.Equal(204, second.GetProperty("total_so_far").GetProperty("duplicates").GetInt64());
        Assert.Equal(204L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal(0L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE pending"));
        Assert.Equal(204L, await imports.ScalarAsync("SELECT count(DISTINCT transaction_id) FROM truelayer_transactions"));

        var history = JsonDocument.Parse(await imports.ReadAsync(await imports.Client.GetAsync("/api/truelayer/import/history?limit=10"))).RootElement;
        Assert.Equal([again.GetProperty("job_id").GetString()!, plan.GetProperty("job_id").GetString()!],
            history.EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!).ToArray());
        var listed = JsonDocument.Parse(await imports.ReadAsync(await imports.Client.GetAsync($"/api/truelayer/connections/{connection}/accounts"))).RootElement;
        Assert.All(listed.EnumerateArray(), a => Assert.Equal(JsonValueKind.String, a.GetProperty("last_synced_at").ValueKind));
    }

    [Fact]
    public async Task An_account_failing_for_good_fails_alone_and_every_other_account_has_its_exact_count()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_failing", FastRetries);
        var (token, accounts) = await imports.ConsentAsync(accounts: 3, transactionsPerAccount: 60, pendingPerAccount: 2);
        var connection = await imports.LinkAsync(token);
        var broken = accounts[1];
        var fault = await imports.Simulator.Admin.PostAsJsonAsync("/_admin/faults",
            new { route = "truelayer.transactions", kind = "5xx", status = 503, pathContains = $"/accounts/{broken}/" });
        Assert.True(fault.IsSuccessStatusCode, await fault.Content.ReadAsStringAsync());

        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(400), to_date = Today });
        var status = await imports.RunAsync(plan.GetProperty("job_id").GetString()!);

        Assert.Equal("partially_completed", status.GetProperty("status").GetString());
        var failed = TrueLayerImports.Account(status, broken);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("503", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
        foreach (var account in accounts.Where(a => a != broken))
        {
            var entry = TrueLayerImports.Account(status, account);
            Assert.Equal("completed", entry.GetProperty("status").GetString());
            Assert.Equal(62, entry.GetProperty("synced").GetInt32());
            Assert.Equal(62L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE account_id = @a", ("a", account)));
        }

        // Its pending list came before the failing windows and stays committed: 2 rows, counted.
        Assert.Equal(2, failed.GetProperty("synced").GetInt32());
        Assert.Equal(2L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions WHERE account_id = @a", ("a", broken)));
        // A failed account is done too: the job's progress reaches 100 %.
        Assert.Equal(3, status.GetProperty("progress").GetProperty("completed_accounts").GetInt32());
        Assert.Equal(3, status.GetProperty("progress").GetProperty("total_accounts").GetInt32());
    }

    [Fact]
    public async Task Max_workers_is_how_many_accounts_call_at_once()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_workers");
        var (token, accounts) = await imports.ConsentAsync(accounts: 6, transactionsPerAccount: 40, pendingPerAccount: 0);
        var connection = await imports.LinkAsync(token);
        var latency = await imports.Simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "truelayer.transactions", kind = "latency", latencyMs = 150 });
        Assert.True(latency.IsSuccessStatusCode, await latency.Content.ReadAsStringAsync());

        var four = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(119), to_date = Today, max_workers = 4 });
        Assert.Equal("completed", (await imports.RunAsync(four.GetProperty("job_id").GetString()!)).GetProperty("status").GetString());
        var parallel = await imports.Simulator.RequestsAsync("truelayer.transactions");
        Assert.Equal(6 * 4, parallel.Count);
        Assert.Equal(4, MostAccountsAtOnce(parallel, accounts));

        await imports.Simulator.Admin.DeleteAsync("/_admin/requests");
        var one = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(119), to_date = Today, max_workers = 1 });
        Assert.Equal("completed", (await imports.RunAsync(one.GetProperty("job_id").GetString()!)).GetProperty("status").GetString());
        var sequential = await imports.Simulator.RequestsAsync("truelayer.transactions");
        Assert.Equal(6 * 4, sequential.Count);
        Assert.Equal(1, MostAccountsAtOnce(sequential, accounts));
    }

    [Fact]
    public async Task Another_users_import_is_not_found_and_bad_plans_name_their_field_and_store_nothing()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_owners");
        var (token, accounts) = await imports.ConsentAsync(accounts: 2, transactionsPerAccount: 10);
        var connection = await imports.LinkAsync(token);

        var bad = new (object Body, string Field)[]
        {
            (new { connection_id = connection, from_date = "2026-13-01", to_date = Today }, "from_date"),
            (new { connection_id = connection, from_date = Today, to_date = DaysAgo(3) }, "from_date"),
            (new { connection_id = connection, from_date = DaysAgo(3), to_date = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, "to_date"),
            (new { connection_id = connection, from_date = DaysAgo(800), to_date = Today }, "to_date"),
            (new { connection_id = connection, from_date = DaysAgo(3), to_date = Today, batch_size = 9 }, "batch_size"),
            (new { connection_id = connection, from_date = DaysAgo(3), to_date = Today, batch_size = 201 }, "batch_size"),
            (new { connection_id = connection, from_date = DaysAgo(3), to_date = Today, max_workers = 0 }, "max_workers"),
            (new { connection_id = connection, from_date = DaysAgo(3), to_date = Today, account_ids = (string[])[accounts[0], "not-an-account"] }, "account_ids"),
            (new { connection_id = "conn_nope", from_date = DaysAgo(3), to_date = Today }, "connection_id"),
            (new { from_date = DaysAgo(3), to_date = Today }, "connection_id"),
        };
        foreach (var (body, field) in bad)
        {
            var response = await imports.Client.PostAsJsonAsync("/api/truelayer/import/plan", body);
            var text = await imports.ReadAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)} answered {(int)response.StatusCode}: {text}");
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: no error on {field} in {text}");
        }

        var named = await imports.Client.PostAsJsonAsync("/api/truelayer/import/plan",
            new { connection_id = connection, from_date = DaysAgo(3), to_date = Today, account_ids = NotAnAccount });
        Assert.Contains("'not-an-account'", await named.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_import_jobs"));
        Assert.Equal(0L, await imports.ScalarAsync("SELECT count(*) FROM truelayer_import_progress"));

        // The second user cannot see, plan on, start or follow the first user's connection and import.
        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(30), to_date = Today });
        var jobId = plan.GetProperty("job_id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/import/status/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.PostAsJsonAsync("/api/truelayer/import/start", new { job_id = jobId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/connections/{connection}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/connections/{connection}/accounts")).StatusCode);
        Assert.Equal(0, (await imports.SecondClient.GetFromJsonAsync<JsonElement>("/api/truelayer/connections")).GetArrayLength());
        var foreignPlan = await imports.SecondClient.PostAsJsonAsync("/api/truelayer/import/plan", new { connection_id = connection, from_date = DaysAgo(3), to_date = Today });
        Assert.Equal(HttpStatusCode.BadRequest, foreignPlan.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/import/history?user_id={Uri.EscapeDataString(GatewayHost.OperatorUser)}")).StatusCode);
        Assert.Equal(0, (await imports.SecondClient.GetFromJsonAsync<JsonElement>("/api/truelayer/import/history")).GetArrayLength());

        // Its owner and an admin can.
        Assert.Equal("completed", (await imports.RunAsync(jobId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await imports.AdminClient.GetAsync($"/api/truelayer/import/status/{jobId}")).StatusCode);
        var all = await imports.AdminClient.GetFromJsonAsync<JsonElement>($"/api/truelayer/import/history?user_id={Uri.EscapeDataString(GatewayHost.OperatorUser)}");
        Assert.Equal(jobId, all.EnumerateArray().Single().GetProperty("job_id").GetString());
        // Starting it again is a 409 that says it ended.
        Assert.Equal(HttpStatusCode.Conflict, (await imports.Client.PostAsJsonAsync("/api/truelayer/import/start", new { job_id = jobId })).StatusCode);
    }

    [Fact]
    public async Task The_dialog_links_a_connection_once_and_no_token_shows_in_logs_state_or_responses()
    {
        var port = FreePorts.Next();
        var logFile = Path.Combine(Path.GetTempPath(), $"tributary-silo-{Guid.NewGuid():N}", "silo.log");
        await using var imports = await TrueLayerImports.StartAsync("truelayer_secrets", new Dictionary<string, string> { ["Logging:File:Path"] = logFile }, gatewayPort: port);
        var link = JsonDocument.Parse(await imports.ReadAsync(await imports.Client.GetAsync("/api/truelayer/connect"))).RootElement;
        var authUrl = new Uri(link.GetProperty("auth_url").GetString()!);
        Assert.StartsWith(new Uri(imports.Simulator.Address, "/truelayer/auth/").ToString(), authUrl.ToString(), StringComparison.Ordinal);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var dialog = await browser.GetAsync(authUrl);
        Assert.Equal(HttpStatusCode.Found, dialog.StatusCode);
        var callback = dialog.Headers.Location!;
        Assert.Equal($"http://127.0.0.1:{port}/api/truelayer/callback", callback.GetLeftPart(UriPartial.Path));
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]!;

        var linked = await browser.GetAsync(callback);
        var linkedBody = await imports.ReadAsync(linked);
        Assert.True(linked.StatusCode == HttpStatusCode.OK, $"the callback answered {(int)linked.StatusCode}: {linkedBody}");
        var connection = JsonDocument.Parse(linkedBody).RootElement.GetProperty("connection_id").GetString()!;
        var replayed = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Contains("used already", await imports.ReadAsync(replayed), StringComparison.Ordinal);

        var connections = JsonDocument.Parse(await imports.ReadAsync(await imports.Client.GetAsync("/api/truelayer/connections"))).RootElement;
        var listed = connections.EnumerateArray().Single();
        Assert.Equal(connection, listed.GetProperty("connection_id").GetString());
        Assert.Equal("active", listed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("consent_expires_at").ValueKind);
        var accounts = JsonDocument.Parse(await imports.ReadAsync(await imports.Client.GetAsync($"/api/truelayer/connections/{connection}/accounts"))).RootElement;
        Assert.Equal(4, accounts.GetArrayLength());
        Assert.Equal(1, accounts.EnumerateArray().Count(a => a.GetProperty("kind").GetString() == "card"));

        // A second connection by refresh token, and an import that uses the tokens.
        var (refreshToken, _) = await imports.ConsentAsync(accounts: 1, transactionsPerAccount: 5);
        var second = await imports.LinkAsync(refreshToken);
        var plan = await imports.PlanAsync(new { connection_id = second, from_date = DaysAgo(30), to_date = Today });
        Assert.Equal("completed", (await imports.RunAsync(plan.GetProperty("job_id").GetString()!)).GetProperty("status").GetString());

        var secrets = new List<string> { code, refreshToken };
        var protector = imports.Cluster.Gateway.Services.GetRequiredService<SecretProtector>();
        await using (var db = new NpgsqlConnection(imports.Cluster.Settings.ConnectionString))
        {
            await db.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT refresh_token_protected, access_token_protected FROM truelayer_connections", db);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                secrets.Add(await protector.UnprotectAsync(TrueLayerNames.TokenPurpose, reader.GetString(0), CancellationToken.None));
                secrets.Add(await protector.UnprotectAsync(TrueLayerNames.TokenPurpose, reader.GetString(1), CancellationToken.None));
            }
        }

        Assert.Equal(6, secrets.Distinct().Count());
        var dump = await DatabaseDump.DumpAsync(imports.Cluster.Settings.ConnectionString);
        var logs = string.Join('\n', imports.Cluster.Silos.Select(s => s.Output));
        // The silo's own log file (Logging:File:Path) holds the same lines as its console, secrets masked by the logging layer.
        var file = await File.ReadAllTextAsync(logFile);
        Assert.Contains($"Connection {connection} linked", file, StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.TrueLayerClientSecret, file, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHost.KeyRingKey, file, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, file, StringComparison.Ordinal);
            Assert.All(imports.Bodies, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_silo_killed_mid_import_leaves_it_to_the_survivor_which_ends_with_exactly_the_banks_transactions()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_kill", FastRetries, siloCount: 2);
        var (token, accounts) = await imports.ConsentAsync(accounts: 6, transactionsPerAccount: 1_500, pendingPerAccount: 2);
        var connection = await imports.LinkAsync(token);
        var latency = await imports.Simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "truelayer.transactions", kind = "latency", latencyMs = 120 });
        Assert.True(latency.IsSuccessStatusCode);

        var plan = await imports.PlanAsync(new { connection_id = connection, from_date = DaysAgo(400), to_date = Today, max_workers = 2, batch_size = 50 });
        var jobId = plan.GetProperty("job_id").GetString()!;
        var runId = await imports.StartAsync(jobId);
        await Eventually.TrueAsync(async () => await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions") >= 1_000, "1,000 transactions are stored");
        var victim = imports.Cluster.Silos.Single(s => s.Output.Contains($"Run {TrueLayerImports.Job}/{runId} started", StringComparison.Ordinal));
        var survivor = imports.Cluster.Silos.Single(s => s != victim);
        victim.Kill();
        Assert.InRange(await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"), 1_000, (6 * 1_502) - 1);

        var status = await imports.WaitForEndAsync(jobId, timeout: TimeSpan.FromSeconds(180));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(6L * 1_502, await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
        Assert.Equal(6L * 1_502, await imports.ScalarAsync("SELECT count(DISTINCT transaction_id) FROM truelayer_transactions"));
        foreach (var account in accounts)
        {
            var entry = TrueLayerImports.Account(status, account);
            Assert.Equal(1_502, entry.GetProperty("synced").GetInt32());
            Assert.Equal(0, entry.GetProperty("duplicates").GetInt32());
        }

        Assert.Equal(6L * 1_502, status.GetProperty("total_so_far").GetProperty("synced").GetInt64());
        Assert.Contains($"Run {TrueLayerImports.Job}/{runId} resuming from its checkpoint", survivor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connections_schedule_imports_every_account_from_where_its_last_import_reached()
    {
        await using var imports = await TrueLayerImports.StartAsync("truelayer_recurring", new Dictionary<string, string>
        {
            ["Scheduling:HeartbeatPeriod"] = "00:00:01",
            ["Scheduling:MisfireGrace"] = "00:00:05",
            ["TrueLayer:Import:IncrementalFirstDays"] = "30",
        });
        var consent = await (await imports.Simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents",
            new { accounts = 2, cards = 0, transactionsPerAccount = 400, pendingPerAccount = 0, historyDays = 100 })).Content.ReadFromJsonAsync<JsonElement>();
        var connection = await imports.LinkAsync(consent.GetProperty("refresh_token").GetString()!);
        var accounts = consent.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!).ToList();
        var bank = new Dictionary<string, (int LastThirtyDays, int Today)>();
        using (var data = new HttpClient { BaseAddress = imports.Simulator.Address })
        {
            data.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", consent.GetProperty("access_token").GetString());
            foreach (var account in accounts)
            {
                var month = await data.GetFromJsonAsync<JsonElement>($"/truelayer/api/data/v1/accounts/{account}/transactions?from={DaysAgo(29)}&to={Today}");
                var today = await data.GetFromJsonAsync<JsonElement>($"/truelayer/api/data/v1/accounts/{account}/transactions?from={Today}&to={Today}");
                bank[account] = (month.GetProperty("results").GetArrayLength(), today.GetProperty("results").GetArrayLength());
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await imports.Client.GetAsync($"/api/truelayer/connections/{connection}/schedule")).StatusCode);
        var put = await imports.Client.PutAsJsonAsync($"/api/truelayer/connections/{connection}/schedule", new { cron = "*/2 * * * * *" });
        Assert.True(put.StatusCode == HttpStatusCode.OK, await imports.ReadAsync(put));
        Assert.Equal(HttpStatusCode.NotFound, (await imports.SecondClient.GetAsync($"/api/truelayer/connections/{connection}/schedule")).StatusCode);

        var finished = await Eventually.ValueAsync(async () =>
        {
            var history = await imports.Client.GetFromJsonAsync<JsonElement>("/api/truelayer/import/history?limit=10");
            var ended = history.EnumerateArray().Where(j => j.GetProperty("status").GetString() == "completed").ToList();
            return ended.Count >= 2 ? ended : null;
        }, "two recurring imports complete");
        var paused = await imports.Client.PutAsJsonAsync($"/api/truelayer/connections/{connection}/schedule", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);

        // Oldest first: the first import of each account starts IncrementalFirstDays back, the next where the first reached (today).
        var first = await imports.StatusAsync(finished[^1].GetProperty("job_id").GetString()!);
        var second = await imports.StatusAsync(finished[^2].GetProperty("job_id").GetString()!);
        Assert.True(first.GetProperty("incremental").GetBoolean());
        Assert.Equal(DaysAgo(29), first.GetProperty("date_range").GetProperty("from_date").GetString());
        foreach (var account in accounts)
        {
            Assert.Equal(bank[account].LastThirtyDays, TrueLayerImports.Account(first, account).GetProperty("synced").GetInt32());
            Assert.Equal(0, TrueLayerImports.Account(second, account).GetProperty("synced").GetInt32());
            Assert.Equal(bank[account].Today, TrueLayerImports.Account(second, account).GetProperty("duplicates").GetInt32());
        }

        Assert.Equal((long)bank.Values.Sum(b => b.LastThirtyDays), await imports.ScalarAsync("SELECT count(*) FROM truelayer_transactions"));
    }

    /// <summary>The most accounts whose calls were in flight at one instant, from the simulator's request log.</summary>
    private static int MostAccountsAtOnce(IReadOnlyList<Tributary.Simulators.RequestLog.RequestLogEntry> calls, IReadOnlyList<string> accounts)
    {
        var spans = calls.Select(c => (Account: accounts.Single(a => c.PathAndQuery.Contains($"/{a}/", StringComparison.Ordinal)),
            Start: c.TimeUtc, End: c.TimeUtc + TimeSpan.FromMilliseconds(c.DurationMs))).ToList();
        return spans.Max(s => spans.Where(o => o.Start <= s.Start && s.Start < o.End).Select(o => o.Account).Distinct().Count());
    }
}
