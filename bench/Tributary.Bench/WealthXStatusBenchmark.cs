using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tributary.Simulators.WealthX;
using Tributary.Storage;
using Tributary.Storage.Dossiers;
using Tributary.Storage.Jobs;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>wealthx-status</c> (issue 11, item 5): the status document a live monitor polls, at the seed's scale (420,000
/// dossiers stored), against <c>/api/etl/jobs</c> in the same run: 50 concurrent clients, a fixed number of requests
/// each, over loopback to one silo process and the in-process gateway. Target: status p99 at most 50 ms and at most
/// 2x that of <c>/api/etl/jobs</c>.
/// </summary>
internal static class WealthXStatusBenchmark
{
    private const string Usage = "usage: wealthx-status [--dossiers 420000] [--clients 50] [--requests 200] [--rounds 3] [--keep]";
    private const string Status = "/api/wealthx/default/status";
    private const string Jobs = "/api/etl/jobs";

    /// <summary>Dossiers per store upsert while loading: large pages, since the load is setup, not measured.</summary>
    private const int LoadPageSize = 5_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--dossiers"] = 420_000,
            ["--clients"] = 50,
            ["--requests"] = 200,
            ["--rounds"] = 3,
        };
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
            }
            else if (options.ContainsKey(args[i]) && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 10_000_000)
            {
                options[args[i]] = value;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'. {Usage}");
                return 2;
            }
        }

        var (dossiers, clients, requests, rounds) = (options["--dossiers"], options["--clients"], options["--requests"], options["--rounds"]);
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_wealthx_status");
        var simulator = await Simulator.StartAsync();
        SiloProcess? silo = null;
        GatewayHost? gateway = null;
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            var store = new PostgresDossierStore(dataSource, TimeProvider.System);
            var load = Stopwatch.StartNew();
            await LoadAsync(dataSource, store, dossiers);
            Console.WriteLine($"Loaded {dossiers:N0} dossiers into wealthx_dossiers through the store, then VACUUM ANALYZE, in {load.Elapsed.TotalSeconds:N1} s.");
            var distinct = Stopwatch.StartNew();
            var counted = await store.CountAsync(CancellationToken.None);
            Console.WriteLine($"For scale: one store count, SELECT count(DISTINCT id) (what every status call ran before), counts {counted:N0} in {distinct.Elapsed.TotalMilliseconds:N0} ms.");

            var id = Guid.NewGuid().ToString("N")[..10];
            var (clusterId, serviceId) = ($"cluster-{id}", $"service-{id}");
            silo = SiloProcess.Start("silo-1", WealthXSessionBenchmark.SiloSettings(connectionString, clusterId, serviceId, simulator));
            gateway = await WealthXSessionBenchmark.StartGatewayAsync(silo, connectionString, clusterId, serviceId);
            using var client = gateway.CreateClient(GatewayHost.OperatorKey);
            await Eventually.TrueAsync(
                async () => (await client.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == 1,
                $"the cluster reports its one silo as active; silo output:\n{silo.Output}");

            // A session of two pages, so the document has a last session (its run and batches) as a monitor sees it.
            using var started = await client.PostAsJsonAsync("/api/wealthx/default/sessions", new { maxBatches = 2 });
            if (started.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST sessions answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
            }

            var runId = Guid.Parse((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
            var runs = new JobRunStore(dataSource);
            var outcome = await Eventually.ValueAsync(
                async () => await runs.GetRunAsync(runId, CancellationToken.None) is { Status: not RunStatus.Running } run ? run.Status.ToText() : null,
                "the two-page session ends", TimeSpan.FromSeconds(60));
            var status = await client.GetFromJsonAsync<JsonElement>(Status);
            Console.WriteLine($"Session of 2 pages: {outcome}. Status: records_in_store {status.GetProperty("records_in_store").GetInt64():N0}, " +
                              $"last_processed_index {status.GetProperty("last_processed_index").GetInt32():N0}, total_records {status.GetProperty("total_records")}, " +
                              $"session_id {status.GetProperty("session_id")}, {JsonSerializer.Serialize(status).Length:N0} bytes.");
            Console.WriteLine($"One silo process (Release), gateway, simulator and {clients} clients in this process, PostgreSQL {new NpgsqlConnectionStringBuilder(connectionString).Host}:{new NpgsqlConnectionStringBuilder(connectionString).Port}, {Environment.ProcessorCount} cores.");
            Console.WriteLine();

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", GatewayHost.OperatorKey);

            // Untimed warm-up of both routes: JIT, connections, the status's count of the store.
            await HammerAsync(http, Status, clients, 100);
            await HammerAsync(http, Jobs, clients, 100);

            var results = new List<(string Route, int Round, Measurement M)>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var route in new[] { Status, Jobs })
                {
                    var measurement = await HammerAsync(http, route, clients, requests);
                    results.Add((route, round, measurement));
                    Console.WriteLine($"round {round} {route}: {measurement.Count:N0} requests in {measurement.Seconds:N2} s, {measurement.Failures} failed");
                }
            }

            Console.WriteLine();
            Console.WriteLine($"| route | round | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (route, round, m) in results)
            {
                Console.WriteLine($"| `{route}` | {round} | {m.Count:N0} | {m.Count / m.Seconds:N0} | {m.Percentile(50):N1} | {m.Percentile(95):N1} | {m.Percentile(99):N1} | {m.Latencies[^1]:N1} |");
            }

            var statusAll = Measurement.Merge(results.Where(r => r.Route == Status).Select(r => r.M));
            var jobsAll = Measurement.Merge(results.Where(r => r.Route == Jobs).Select(r => r.M));
            Console.WriteLine($"| `{Status}` | all | {statusAll.Count:N0} | {statusAll.Count / statusAll.Seconds:N0} | {statusAll.Percentile(50):N1} | {statusAll.Percentile(95):N1} | {statusAll.Percentile(99):N1} | {statusAll.Latencies[^1]:N1} |");
            Console.WriteLine($"| `{Jobs}` | all | {jobsAll.Count:N0} | {jobsAll.Count / jobsAll.Seconds:N0} | {jobsAll.Percentile(50):N1} | {jobsAll.Percentile(95):N1} | {jobsAll.Percentile(99):N1} | {jobsAll.Latencies[^1]:N1} |");
            Console.WriteLine();
            var ratio = statusAll.Percentile(99) / jobsAll.Percentile(99);
            Console.WriteLine($"status p99 / jobs p99 = {ratio:N2} (target <= 2); status p99 {statusAll.Percentile(99):N1} ms (target <= 50 ms): " +
                              $"{(ratio <= 2 && statusAll.Percentile(99) <= 50 ? "met" : "NOT met")}.");
            var failures = results.Sum(r => r.M.Failures);
            if (failures > 0)
            {
                Console.Error.WriteLine($"{failures} request(s) did not answer 200.");
            }

            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            await simulator.DisposeAsync();
            await BenchDatabase.ReleaseAsync(server, connectionString, keep);
        }
    }

    /// <summary><paramref name="clients"/> loops, each sending <paramref name="requests"/> GETs one after another; every latency kept.</summary>
    private static async Task<Measurement> HammerAsync(HttpClient http, string route, int clients, int requests)
    {
        var latencies = new double[clients * requests];
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var r = 0; r < requests; r++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(route, HttpCompletionOption.ResponseContentRead);
                latencies[(c * requests) + r] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Measurement(latencies, seconds, failures);
    }

    /// <summary>
    /// <paramref name="count"/> dossiers at indexes 1..count (the simulator's IDs, so a session rewrites rather than
    /// adds), small documents of the shape PROTOCOLS.md gives, upserted through the store in pages of
    /// <see cref="LoadPageSize"/>, then VACUUM ANALYZE.
    /// </summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, PostgresDossierStore store, int count)
    {
        string[] categories = ["UHNW", "VHNW", "HNW"];
        foreach (var page in Enumerable.Range(1, count).Chunk(LoadPageSize))
        {
            var documents = page.Select(index =>
            {
                var id = DossierIds.FromIndex(index);
                var category = categories[index % categories.Length];
                var first = $"First{index % 997}";
                var last = $"Last{index % 1009}";
                return DossierDocument.FromJson(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"ID":{{id}},"dossierType":"person","dossierCategory":"{{category}}","firstName":"{{first}}","lastName":"{{last}}","fullName":"{{first}} {{last}}","netWorth":{{(index % 5_000 + 30) * 1_000_000L}},"netWorthCurrency":"USD","primaryCompany":"{{last}} Holdings AG","position":"Chairman","country":"CH","lastModified":"2025-01-31"}"""));
            }).ToList();
            await store.UpsertPageAsync(documents, CancellationToken.None);
        }

        await using var vacuum = dataSource.CreateCommand("VACUUM ANALYZE wealthx_dossiers");
        await vacuum.ExecuteNonQueryAsync();
    }

    /// <summary>Sorted latencies (ms) of one round, its wall time and the non-200 answers.</summary>
    private sealed record Measurement(double[] Latencies, double Seconds, int Failures)
    {
        public int Count => Latencies.Length;

        /// <summary>Nearest-rank percentile.</summary>
        public double Percentile(double p) => Latencies[Math.Clamp((int)Math.Ceiling(p / 100 * Latencies.Length) - 1, 0, Latencies.Length - 1)];

        public static Measurement Merge(IEnumerable<Measurement> rounds)
        {
            var list = rounds.ToList();
            var all = list.SelectMany(m => m.Latencies).ToArray();
            Array.Sort(all);
            return new Measurement(all, list.Sum(m => m.Seconds), list.Sum(m => m.Failures));
        }
    }
}
