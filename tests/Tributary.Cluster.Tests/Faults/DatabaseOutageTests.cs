using Tributary.Cluster.Tests.WealthX;
using Tributary.Simulators.WealthX;

namespace Tributary.Cluster.Tests.Faults;

/// <summary>
/// Our own PostgreSQL stopped for 30 s in the middle of a WealthX session and a market-data run: the runs wait for it
/// and carry on when it is back, and it costs no data, no dead letter and no second fetch of what was in hand.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_30_s_database_outage_mid_run_ends_with_every_run_succeeded_exact_rows_and_nothing_to_replay()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        await using var pull = await WealthXPull.StartAsync("db_outage", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "6000",
            ["WealthX:MinCallInterval"] = "00:00:00.300",
            ["Jobs:fetch_market_data:BatchSize"] = "10",
            ["Jobs:fetch_market_data:MaxParallelBatches"] = "1",
            ["JobRuntime:WatchdogPeriod"] = "00:01:00",
        }, siloCount: 2, server: postgres.Server, prepare: FinTrackJobTests.SeedDemoDataAsync, marketData: true);
        // Each quote call takes a quarter second, so the market-data run is mid-way when the database goes.
        await pull.AddFaultAsync(new { route = "marketdata.quotes", kind = "latency", latencyMs = 250, probability = 1.0 });
        var assets = await pull.ScalarAsync("SELECT count(*) FROM fintrack.assets");

        var session = await pull.StartSessionAsync();
        var trigger = await pull.Client.PostAsync("/api/etl/fetch_market_data/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var quotes = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.TrueAsync(async () =>
            await pull.ScalarAsync("SELECT count(*) FROM wealthx_dossiers") >= 1_000
            && await pull.ScalarAsync($"SELECT count(*) FROM job_run_batches WHERE run_id = '{quotes}' AND status = 'succeeded'") >= 2,
            "two WealthX pages and two market-data batches are stored");

        await postgres.StopAsync();
        var outageEnds = DateTime.UtcNow + Outage;
        var ping = (await Eventually.ValueAsync(async () =>
        {
            var reply = await pull.Client.GetFromJsonAsync<JsonElement>("/ping");
            return reply.GetProperty("database").GetString() == "unreachable" ? (JsonElement?)reply : null;
        }, "/ping reports the database unreachable")).GetValueOrDefault();
        var refused = await pull.Client.PostAsync("/api/etl/fetch_market_index_data/runs", null);
        var refusal = await refused.Content.ReadFromJsonAsync<JsonElement>();
        // The outage is the scenario itself, not something to wait for: the database stays away for its 30 s.
        if (outageEnds > DateTime.UtcNow)
        {
            await Task.Delay(outageEnds - DateTime.UtcNow);
        }

        await postgres.StartAsync();
        var sessionStatus = await pull.WaitForRunAsync(session, TimeSpan.FromSeconds(120));
        var quotesStatus = await pull.WaitForRunAsync(quotes, TimeSpan.FromSeconds(120));

        Assert.Equal(2, ping.GetProperty("silosActive").GetInt32());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null, "a 503 carries Retry-After");
        Assert.Equal("The database is unreachable.", refusal.GetProperty("title").GetString());
        Assert.Equal("succeeded", sessionStatus);
        Assert.Equal("succeeded", quotesStatus);
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM job_dead_letters"));
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM job_runs WHERE status <> 'succeeded'"));
        Assert.Equal(Enumerable.Range(1, 6_000).Select(i => (long)DossierIds.FromIndex(i)), (await pull.CreatedAtAsync()).Keys.Order());
        Assert.Equal(assets, await pull.ScalarAsync("SELECT count(*) FROM fintrack.prices_latest"));
        Assert.Equal(assets, await pull.ScalarAsync($"SELECT items_processed FROM job_runs WHERE run_id = '{quotes}'"));
        var pages = (await pull.CallsAsync()).Where(c => c.Status == 200).GroupBy(c => c.Range).ToList();
        Assert.Equal(12, pages.Count);
        Assert.All(pages, page => Assert.True(page.Count() <= 2, $"page {page.Key} was fetched {page.Count()} times"));
        var quoteCalls = (await pull.Simulator.RequestsAsync("marketdata.quotes")).Where(e => e.Status == 200).GroupBy(e => e.PathAndQuery).ToList();
        Assert.All(quoteCalls, call => Assert.True(call.Count() <= 2, $"{call.Key} was fetched {call.Count()} times"));
        Assert.Equal("ok", (await pull.Client.GetFromJsonAsync<JsonElement>("/ping")).GetProperty("database").GetString());
    }
}
