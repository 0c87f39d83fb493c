using Tributary.Cluster.Tests.WealthX;
using Tributary.Simulators.WealthX;

namespace Tributary.Cluster.Tests.Faults;

/// <summary>
/// Bounded chaos: three silo processes, one killed (<c>kill -9</c>) every 15 s for two minutes and replaced, while a
/// WealthX session and the five FinTrack jobs run and triggers keep arriving. Every run finishes, every dossier is
/// stored once, and no trigger is answered with a 5xx other than 503.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ChaosTests
{
    private const int Kills = 8;
    private static readonly TimeSpan KillEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TriggerEvery = TimeSpan.FromSeconds(1);

    private static readonly string[] Triggers =
    [
        "/api/wealthx/default/sessions",
        "/api/etl/fetch_market_data/runs",
        "/api/etl/fetch_market_index_data/runs",
        "/api/etl/fetch_historical_market_data/runs",
        "/api/etl/process_transactions_to_holdings/runs",
        "/api/etl/process_transactions_to_holdings_monthly/runs",
    ];

    [Fact]
    public async Task Killing_a_silo_every_15_s_for_two_minutes_loses_no_run_no_dossier_and_answers_no_500()
    {
        await using var pull = await WealthXPull.StartAsync("chaos", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "14000",
            ["WealthX:MinCallInterval"] = "00:00:00.200",
            // Production's watchdog: failover has to come from the supervisor, not from a fast test heartbeat.
            ["JobRuntime:WatchdogPeriod"] = "00:01:00",
            ["Jobs:fetch_market_data:BatchSize"] = "20",
            ["Jobs:fetch_historical_market_data:BatchSize"] = "20",
        }, siloCount: 3, prepare: FinTrackJobTests.SeedDemoDataAsync, marketData: true);
        var random = new Random(20261130);
        var answers = new List<(string Path, int Status, string Body)>();
        var kills = 0;
        var nextKill = DateTime.UtcNow + KillEvery;
        var next = 0;

        // Two minutes: a kill at 0:15, 0:30, ... 2:00.
        while (kills < Kills)
        {
            var path = Triggers[next++ % Triggers.Length];
            using (var response = await pull.Client.PostAsync(path, null))
            {
                answers.Add((path, (int)response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            if (DateTime.UtcNow >= nextKill)
            {
                var alive = pull.Cluster.Silos.Where(s => !s.HasExited).ToList();
                var victim = alive[random.Next(alive.Count)];
                victim.Kill();
                kills++;
                pull.Cluster.AddSilo($"silo-r{kills}");
                nextKill += KillEvery;
            }

            // Pacing of the load, not a wait for anything.
            await Task.Delay(TriggerEvery);
        }

        var unfinished = await Eventually.ValueAsync(
            async () => await pull.ScalarAsync("SELECT count(*) FROM job_runs WHERE status NOT IN ('succeeded', 'partially_succeeded', 'failed')") == 0 ? (bool?)true : null,
            "every run reaches a final status after the kills stop", TimeSpan.FromSeconds(180));

        Assert.True(unfinished);
        var errors = answers.Where(a => a.Status >= 500 && a.Status != 503).ToList();
        Assert.True(errors.Count == 0, "triggers answered 5xx other than 503:\n" + string.Join("\n", errors.Select(e => $"{e.Path} {e.Status} {e.Body}")));
        Assert.All(answers.Where(a => a.Status != 503), a => Assert.Equal(202, a.Status));
        var statuses = await pull.TextAsync("SELECT string_agg(DISTINCT status, ',') FROM job_runs");
        Assert.Equal("succeeded", statuses);
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM job_dead_letters"));
        var progress = await pull.StatusAsync();
        var stored = progress.GetProperty("records_processed").GetInt64();
        var cursor = progress.GetProperty("current_index").GetInt32();
        Assert.Equal(stored, cursor - 1);
        Assert.Equal(Enumerable.Range(1, cursor - 1).Select(i => (long)DossierIds.FromIndex(i)), (await pull.CreatedAtAsync()).Keys.Order());
        Assert.Equal(await pull.ScalarAsync("SELECT count(*) FROM fintrack.assets"), await pull.ScalarAsync("SELECT count(*) FROM fintrack.prices_latest"));
    }
}
