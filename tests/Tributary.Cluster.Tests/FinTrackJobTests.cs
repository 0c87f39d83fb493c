using Npgsql;

namespace Tributary.Cluster.Tests;

/// <summary>FinTrack jobs on real silo processes, the demo data set and the simulated market-data feed.</summary>
public sealed class FinTrackJobTests
{
    [Fact]
    public async Task A_run_whose_silo_is_killed_finishes_on_the_survivor_with_every_batch_committed_once()
    {
        await using var simulator = await Simulator.StartAsync();
        var extra = simulator.MarketDataSettings();
        extra["Jobs:fetch_market_data:BatchSize"] = "10";
        extra["Jobs:fetch_market_data:MaxParallelBatches"] = "1";
        await using var cluster = await RunningCluster.StartAsync("fintrack_kill", siloCount: 2, extra, SeedDemoDataAsync);
        // Each quote call takes a quarter second, so the run is still going when its silo dies.
        (await simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "marketdata.quotes", kind = "latency", latencyMs = 250, probability = 1.0 }))
            .EnsureSuccessStatusCode();
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var assets = await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.assets");

        var trigger = await client.PostAsync("/api/etl/fetch_market_data/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.TrueAsync(
            async () => await ScalarAsync(cluster, $"SELECT count(*) FROM job_run_batches WHERE run_id = '{runId}' AND status = 'succeeded'") >= 2,
            "two batches of the run are committed");
        var victim = cluster.Silos.Single(s => s.Output.Contains(runId, StringComparison.Ordinal));
        var survivor = cluster.Silos.Single(s => s != victim);
        victim.Kill();

        var status = await Eventually.ValueAsync(
            async () =>
            {
                var s = await TextAsync(cluster, $"SELECT status FROM job_runs WHERE run_id = '{runId}'");
                return s is "running" ? null : s;
            },
            $"run {runId} finishes after its silo was killed", TimeSpan.FromSeconds(120));

        Assert.Equal("succeeded", status);
        Assert.Contains($"Run fetch_market_data/{runId} resuming from its checkpoint", survivor.Output, StringComparison.Ordinal);
        // Every item in exactly one committed batch, the slices contiguous, and one price per asset.
        Assert.Equal(assets, await ScalarAsync(cluster, $"SELECT coalesce(sum(item_count), 0) FROM job_run_batches WHERE run_id = '{runId}' AND status = 'succeeded'"));
        Assert.Equal(0L, await ScalarAsync(cluster, $"SELECT count(*) FROM job_run_batches WHERE run_id = '{runId}' AND status <> 'succeeded'"));
        Assert.Equal(0L, await ScalarAsync(cluster,
            $"SELECT count(*) FROM (SELECT item_offset, lag(item_offset + item_count, 1, 0) OVER (ORDER BY item_offset) AS expected FROM job_run_batches WHERE run_id = '{runId}') s WHERE item_offset <> expected"));
        Assert.Equal(assets, await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.prices_latest"));
        Assert.Equal(assets, await ScalarAsync(cluster, $"SELECT items_processed FROM job_runs WHERE run_id = '{runId}'"));
    }

    [Fact]
    public async Task An_upstream_failing_one_batch_leaves_a_dead_letter_that_a_replay_completes()
    {
        await using var simulator = await Simulator.StartAsync();
        var extra = simulator.MarketDataSettings();
        extra["Jobs:fetch_market_data:BatchSize"] = "50";
        extra["Jobs:fetch_market_data:MaxParallelBatches"] = "1";
        extra["Jobs:fetch_market_data:MaxAttempts"] = "3";
        extra["Jobs:fetch_market_data:RetryBaseDelay"] = "00:00:00.050";
        await using var cluster = await RunningCluster.StartAsync("fintrack_replay", siloCount: 1, extra, SeedDemoDataAsync);
        // The first batch's three attempts meet a 503; every later call succeeds.
        (await simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "marketdata.quotes", kind = "5xx", status = 503, count = 3 }))
            .EnsureSuccessStatusCode();
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var assets = await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.assets");
        using var events = await SseReader.OpenAsync(client, "/api/events?job=fetch_market_data&type=tributary.job.run.completed");

        var first = await RunAsync(client, "/api/etl/fetch_market_data/runs");
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{first}");
        Assert.Equal("partially_succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("failedBatches").GetInt32());
        Assert.Equal(assets - 50, await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.prices_latest"));
        var letter = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/etl/dead-letters?job=fetch_market_data")).EnumerateArray());
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        Assert.Equal(50, letter.GetProperty("items").GetArrayLength());

        var replay = await RunAsync(client, $"/api/etl/dead-letters/{letter.GetProperty("deadLetterId").GetInt64()}/replay");

        Assert.Equal("succeeded", (await client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{replay}")).GetProperty("status").GetString());
        Assert.Equal(assets, await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.prices_latest"));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/etl/dead-letters?job=fetch_market_data")).EnumerateArray());
        var completions = await events.ReadUntilCountAsync(2);
        Assert.Equal([(first, "partially_succeeded"), (replay, "succeeded")],
            completions.Select(e => (e.Data.GetProperty("data").GetProperty("runId").GetString()!, e.Data.GetProperty("data").GetProperty("status").GetString()!)));
        Assert.Equal(3, (await simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/requests?route=marketdata.quotes"))
            .EnumerateArray().Count(r => r.GetProperty("fault").ValueKind != JsonValueKind.Null));
    }

    [Fact]
    public async Task An_oversell_is_bad_data_its_batch_is_dead_lettered_and_its_siblings_commit()
    {
        await using var cluster = await RunningCluster.StartAsync("fintrack_oversell", siloCount: 1, prepare: SeedDemoDataAsync);
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var account = await TextAsync(cluster, "SELECT min(account_id) FROM fintrack.transactions");
        var asset = await TextAsync(cluster, $"SELECT min(asset_id) FROM fintrack.transactions WHERE account_id = '{account}'");
        var currency = await TextAsync(cluster, $"SELECT currency FROM fintrack.assets WHERE asset_id = '{asset}'");
        var before = await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.transactions");

        // A file with bad rows is refused whole, each problem named by line and field.
        const string header = "transaction_id,account_id,asset_id,type,quantity,price,amount,currency,trade_date";
        var bad = $"{header}\nBAD-1,{account},{asset},sell,-5,10,,{currency},2025-12-31\nBAD-2,{account},{asset},swap,5,10,,{currency},2025-13-01\n";
        var refused = await client.PostAsync("/api/portfolio/transactions", new StringContent(bad, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("[2].quantity", errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("[3].type", errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("[3].trade_date", errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.transactions"));

        // A well-formed sale of far more than the account holds: valid input, impossible portfolio.
        var oversell = $"{header}\nOVERSELL-1,{account},{asset},sell,1000000000,10,,{currency},2025-12-31\n";
        var accepted = await client.PostAsync("/api/portfolio/transactions", new StringContent(oversell, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt32());

        var runId = await RunAsync(client, "/api/etl/process_transactions_to_holdings/runs");

        var run = await client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}");
        Assert.Equal("partially_succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("failedBatches").GetInt32());
        var letter = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/etl/dead-letters?job=process_transactions_to_holdings")).EnumerateArray());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
        Assert.Contains("(transaction OVERSELL-1)", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        var deadAssets = letter.GetProperty("items").EnumerateArray().Select(i => $"'{i.GetString()}'").ToList();
        Assert.Contains($"'{asset}'", deadAssets);
        // Every position outside the dead batch was committed; none inside it.
        Assert.Equal(
            await ScalarAsync(cluster, $"SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id FROM fintrack.transactions WHERE asset_id NOT IN ({string.Join(',', deadAssets)})) p"),
            await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.holdings"));
        Assert.Equal(0L, await ScalarAsync(cluster, $"SELECT count(*) FROM fintrack.holdings WHERE asset_id IN ({string.Join(',', deadAssets)})"));
    }

    [Fact]
    public async Task Holdings_jobs_compute_the_demo_portfolio_and_the_api_serves_it()
    {
        await using var cluster = await RunningCluster.StartAsync("fintrack_holdings", siloCount: 1, prepare: SeedDemoDataAsync);
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var positions = await ScalarAsync(cluster, "SELECT count(*) FROM (SELECT DISTINCT account_id, asset_id FROM fintrack.transactions) p");

        foreach (var job in new[] { "process_transactions_to_holdings", "process_transactions_to_holdings_monthly" })
        {
            var ticket = await (await client.PostAsync($"/api/etl/{job}/runs", null)).Content.ReadFromJsonAsync<JsonElement>();
            var runId = ticket.GetProperty("runId").GetString();
            var status = await Eventually.ValueAsync(
                async () => await TextAsync(cluster, $"SELECT status FROM job_runs WHERE run_id = '{runId}'") is { } s && s != "running" ? s : null,
                $"{job} finishes");
            Assert.Equal("succeeded", status);
        }

        Assert.Equal(positions, await ScalarAsync(cluster, "SELECT count(*) FROM fintrack.holdings"));
        var account = await TextAsync(cluster, "SELECT min(account_id) FROM fintrack.accounts");
        var holdings = await client.GetFromJsonAsync<JsonElement>($"/api/holdings?account_id={account}");
        Assert.Equal(await ScalarAsync(cluster, $"SELECT count(*) FROM fintrack.holdings WHERE account_id = '{account}'"), holdings.GetArrayLength());
        var month = await TextAsync(cluster, $"SELECT to_char(max(month), 'YYYY-MM') FROM fintrack.holdings_monthly WHERE account_id = '{account}'");
        var monthly = await client.GetFromJsonAsync<JsonElement>($"/api/holdings/monthly?account_id={account}&month={month}");
        Assert.Equal(await ScalarAsync(cluster, $"SELECT count(*) FROM fintrack.holdings_monthly WHERE account_id = '{account}' AND to_char(month, 'YYYY-MM') = '{month}'"), monthly.GetArrayLength());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/holdings/monthly?month=2026-13")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/holdings?account_id=nobody")).StatusCode);
    }

    /// <summary>POSTs a trigger (a run or a replay) and waits for that run to finish; returns its id.</summary>
    private static async Task<string> RunAsync(HttpClient client, string path)
    {
        var response = await client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.TrueAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}")).GetProperty("finishedAt").ValueKind != JsonValueKind.Null,
            $"run {runId} finishes");
        return runId;
    }

    internal static async Task SeedDemoDataAsync(ClusterSettings settings)
    {
        await using var seed = SiloProcess.Start("seed", settings.ForSilo(), "seed-demo");
        Assert.True(await seed.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, seed.Output);
    }

    private static async Task<long> ScalarAsync(RunningCluster cluster, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string?> TextAsync(RunningCluster cluster, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }
}
