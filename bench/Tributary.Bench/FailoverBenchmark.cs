using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tributary.Storage.Jobs;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// Failover: three silo processes with production's membership and runtime settings run a WealthX session; the silo
/// running it is killed (SIGKILL) ten times. Printed: the time from each kill to the next batch committed on a
/// survivor (min / median / max, target max &lt;= 20 s), against the gaps between committed batches of the same
/// session before any kill.
/// </summary>
internal static class FailoverBenchmark
{
    private const string Usage = "usage: failover [--kills 10]";
    private const string Job = "wealthx_default";
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string[] args)
    {
        var kills = 10;
        if (args is ["--kills", var text] && int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 30)
        {
            kills = value;
        }
        else if (args.Length > 0)
        {
            Console.Error.WriteLine($"Unknown or invalid option '{string.Join(' ', args)}' (--kills is 1..30). {Usage}");
            return 2;
        }

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_failover");
        var simulator = await Simulator.StartAsync();
        var silos = new List<SiloProcess>();
        GatewayHost? gateway = null;
        try
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            var (clusterId, serviceId) = ($"cluster-{id}", $"service-{id}");
            var settings = new Dictionary<string, string>
            {
                ["Database:ConnectionString"] = connectionString,
                ["Cluster:ClusterId"] = clusterId,
                ["Cluster:ServiceId"] = serviceId,
                // Production's membership, watchdog and sweep (silo/appsettings.json); a session long enough for every kill.
                ["WealthX:SessionSize"] = "200000",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Tributary"] = "Information",
            };
            foreach (var (key, setting) in simulator.WealthXSettings())
            {
                settings[key] = setting;
            }

            for (var i = 1; i <= 3; i++)
            {
                silos.Add(SiloProcess.Start($"silo-{i}", settings));
            }

            gateway = await GatewayHost.StartAsync(connectionString, clusterId, serviceId);
            using var client = gateway.CreateClient(GatewayHost.OperatorKey);
            await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == 3,
                "the cluster reports its three silos", TimeSpan.FromSeconds(120));
            await using var dataSource = NpgsqlDataSource.Create(connectionString);

            var trigger = await client.PostAsync($"/api/wealthx/default/sessions", null);
            var runId = Guid.Parse((await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
            var runs = new JobRunStore(dataSource);
            Console.WriteLine($"Three silo processes (Release, production membership: ProbeTimeout 2 s, NumMissedProbesLimit 2; watchdog 1 min; sweep 5 s), WealthX at 1 s between calls; run {runId}.");

            // The same session without kills: gaps between its committed batches.
            await WaitForBatchesAsync(runs, runId, 12);
            var quiet = await CommitTimesAsync(runs, runId);
            var gaps = quiet.Zip(quiet.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();

            var failovers = new List<double>();
            for (var kill = 1; kill <= kills; kill++)
            {
                var victim = Runner(silos, runId);
                var committedBefore = (await CommitTimesAsync(runs, runId)).Count;
                victim.Kill();
                var killedAt = await NowAsync(dataSource);
                silos.Add(SiloProcess.Start($"silo-r{kill}", settings));
                var next = (await Eventually.ValueAsync(
                    async () => await FirstCommitAfterAsync(runs, runId, killedAt),
                    $"a batch of run {runId} commits after kill {kill}", TimeSpan.FromSeconds(120))).GetValueOrDefault();
                var seconds = (next - killedAt).TotalSeconds;
                failovers.Add(seconds);
                Console.WriteLine($"  kill {kill,2}: {victim.Name} (pid {victim.ProcessId}) killed; next batch committed {seconds,6:0.00} s later ({committedBefore} batches before)");
                // Let the new runner settle (two more commits) before the next kill.
                await WaitForBatchesAsync(runs, runId, committedBefore + 3);
            }

            Console.WriteLine();
            Console.WriteLine("| measure | min | median | max |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| kill -> next committed batch ({failovers.Count} kills) | {failovers.Min():0.00} s | {Median(failovers):0.00} s | {failovers.Max():0.00} s |");
            Console.WriteLine($"| gap between committed batches, no kill ({gaps.Count} gaps) | {gaps.Min():0.00} s | {Median(gaps):0.00} s | {gaps.Max():0.00} s |");
            Console.WriteLine();
            var met = failovers.Max() <= Target.TotalSeconds;
            Console.WriteLine($"Target: max <= {Target.TotalSeconds:0} s: {(met ? "met" : "MISSED")}.");
            return met ? 0 : 1;
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            await simulator.DisposeAsync();
            await BenchDatabase.ReleaseAsync(server, connectionString, keep: false);
        }
    }

    /// <summary>The live silo that last started or resumed the run, by its own log lines.</summary>
    private static SiloProcess Runner(IEnumerable<SiloProcess> silos, Guid runId) =>
        silos.Where(s => !s.HasExited)
            .Select(s => (Silo: s, At: Math.Max(s.Output.LastIndexOf($"Run {Job}/{runId} started", StringComparison.Ordinal),
                s.Output.LastIndexOf($"Run {Job}/{runId} resuming", StringComparison.Ordinal))))
            .Where(s => s.At >= 0)
            .Select(s => s.Silo)
            .LastOrDefault(s => s.Output.Contains($"Run {Job}/{runId}", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"No live silo says it runs {runId}.");

    private static async Task WaitForBatchesAsync(JobRunStore runs, Guid runId, int count) =>
        await Eventually.TrueAsync(
            async () => (await CommitTimesAsync(runs, runId)).Count >= count,
            $"run {runId} commits {count} batches", TimeSpan.FromSeconds(120));

    /// <summary>When each batch of the run that succeeded was committed, in order.</summary>
    private static async Task<List<DateTimeOffset>> CommitTimesAsync(JobRunStore runs, Guid runId) =>
        [.. (await runs.GetBatchesAsync(runId, CancellationToken.None))
            .Where(b => b.Status == JobBatchRecord.Succeeded && b.FinishedAt is not null)
            .Select(b => b.FinishedAt!.Value)
            .Order()];

    private static async Task<DateTimeOffset?> FirstCommitAfterAsync(JobRunStore runs, Guid runId, DateTimeOffset after) =>
        (await CommitTimesAsync(runs, runId)).Where(at => at > after).Select(at => (DateTimeOffset?)at).FirstOrDefault();

    /// <summary>The database's clock, which stamps the batches' <c>finished_at</c>: a kill and a commit on the same clock.</summary>
    private static async Task<DateTimeOffset> NowAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT now()");
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!, TimeSpan.Zero);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
