using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>analysis-tasks</c>: 1,000 analysis tasks of 4 sections each, submitted through the gateway to two silo processes
/// whose provider is the simulated AI platform at 200 ms per analysis (issue 15's targets: completed sections per second
/// at least 0.9 x the ideal, workers per silo x silos / latency, measured in the same run; submit p99 at most 20 ms).
/// </summary>
internal static class AnalysisTasksBenchmark
{
    private const string Usage = "usage: analysis-tasks [--tasks 1000] [--latency-ms 200] [--latency-jitter-ms 0 (each analysis takes latency +- up to this, uniformly; the mean stays the latency)] [--workers 10] [--silos 2] [--clients 8 (0: no closed-loop phase)] [--rate 200 (0: no open-loop phase)] [--warmup 300] [--warmup-rounds 8] [--trace FILE (the open loop's submits: index, due ms, latency ms)] [--keep]";

    public static async Task<int> RunAsync(string[] args)
    {
        var (tasks, latencyMs, workers, silos, clients, rate, warmup, warmupRounds, keep) = (1_000, 200, 10, 2, 8, 200, 300, 8, false);
        var jitterMs = 0;
        string? trace = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
                continue;
            }

            if (args[i] == "--trace" && i + 1 < args.Length)
            {
                trace = Path.GetFullPath(args[++i]);
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : null;
            var ok = args[i] switch
            {
                "--tasks" => TryInt(value, 1, 100_000, out tasks),
                "--latency-ms" => TryInt(value, 1, 10_000, out latencyMs),
                "--latency-jitter-ms" => TryInt(value, 0, 10_000, out jitterMs),
                "--workers" => TryInt(value, 1, 256, out workers),
                "--silos" => TryInt(value, 1, 4, out silos),
                "--clients" => TryInt(value, 0, 64, out clients),
                "--rate" => TryInt(value, 0, 100_000, out rate),
                "--warmup" => TryInt(value, 1, 100_000, out warmup),
                "--warmup-rounds" => TryInt(value, 1, 100, out warmupRounds),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'. {Usage}");
                return 2;
            }

            i++;
        }

        if (jitterMs > latencyMs)
        {
            Console.Error.WriteLine($"--latency-jitter-ms {jitterMs} is more than --latency-ms {latencyMs}: an analysis cannot take less than no time. {Usage}");
            return 2;
        }

        if (clients == 0 && rate == 0)
        {
            Console.Error.WriteLine($"--clients 0 and --rate 0 leave nothing to measure. {Usage}");
            return 2;
        }

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_analysis_tasks");
        // The simulator shares this process with the gateway. Its request log (for tests to read; 100,000 entries by
        // default) would keep every login and analysis for minutes: objects that outlive two collections and die later,
        // one of the things that lengthen this process's gen1 collections, which stall the gateway's submits with them.
        var simulator = await Simulator.StartAsync(new Dictionary<string, string>
        {
            ["Simulators:AiPlatform:LatencyMs"] = latencyMs.ToString(CultureInfo.InvariantCulture),
            ["Simulators:AiPlatform:LatencyJitterMs"] = jitterMs.ToString(CultureInfo.InvariantCulture),
            ["Simulators:RequestLog:Capacity"] = "1000",
        });
        var processes = new List<SiloProcess>();
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
                ["Tasks:WorkersPerSilo"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            };
            foreach (var (key, value) in simulator.AiPlatformSettings())
            {
                settings[key] = value;
            }

            for (var i = 1; i <= silos; i++)
            {
                processes.Add(SiloProcess.Start($"silo-{i}", settings));
            }

            gateway = await GatewayHost.StartAsync(connectionString, clusterId, serviceId);
            using var client = gateway.CreateClient(GatewayHost.OperatorKey);
            await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == silos,
                $"the cluster reports its {silos} silos", TimeSpan.FromSeconds(120));

            // A silo joins the cluster before its HTTP port (health, metrics) listens: the benchmark reads its metrics.
            using var metrics = new HttpClient();
            await Eventually.TrueAsync(async () => await MetricSumAsync(metrics, processes, "dotnet_gc_pause_time_seconds_total") >= 0,
                "every silo's /metrics answers", TimeSpan.FromSeconds(60));

            var body = $$"""{"username": "{{Simulator.AiPlatformUser}}", "password": "{{Simulator.AiPlatformPassword}}", "data": {{Example}}}""";
            await using var dataSource = NpgsqlDataSource.Create(connectionString);

            // Warm-up, not counted: rounds of tasks submitted and processed the same way, each until all of them end, until
            // the silos' JIT has settled. A silo that just started recompiles its hot paths at full optimisation over its
            // first minute of load (tiered JIT, about 15 s of CPU per silo here); measured without a warm-up, that one-off
            // cost lands inside the run. The silos' own metric says when it is over: compilation time in a round under
            // 2 % of the round (or --warmup-rounds rounds).
            var warmStarted = Stopwatch.StartNew();
            var warmIds = new List<Guid>();
            var (rounds, jitShare) = (0, 1.0);
            while (rounds < warmupRounds && jitShare >= 0.02)
            {
                var roundStarted = Stopwatch.StartNew();
                var jitBefore = await JitSecondsAsync(metrics, processes);
                var round = (await SubmitAllAsync(client, body, warmup, clients > 0 ? clients : 8)).Select(s => s.TaskId).ToArray();
                await WaitAsync(dataSource, "SELECT count(*) FROM analysis_tasks WHERE task_id = ANY($1) AND status = 'completed'", round, warmup,
                    TimeSpan.FromSeconds(Math.Max(300, warmup * 4 * latencyMs / 1000.0 / (workers * silos) * 10)));
                warmIds.AddRange(round);
                jitShare = (await JitSecondsAsync(metrics, processes) - jitBefore) / (roundStarted.Elapsed.TotalSeconds * silos);
                rounds++;
                Console.WriteLine($"Warm-up round {rounds}: {warmup:N0} tasks in {roundStarted.Elapsed.TotalSeconds:N1} s; the silos compiled code {jitShare:P1} of it.");
            }

            Console.WriteLine($"Warm-up: {warmIds.Count:N0} tasks submitted and completed in {warmStarted.Elapsed.TotalSeconds:N1} s, not counted.");

            Console.WriteLine($"{silos} silo processes (Release), gateway and simulator in this process, {Environment.ProcessorCount} cores; gen0 budget {Gen0Budget.Current} " +
                              $"in every process; provider: the AI platform at " +
                              $"{latencyMs} ms per analysis{(jitterMs > 0 ? $" (+- up to {jitterMs} ms, uniformly)" : " (exactly)")}; Tasks:WorkersPerSilo {workers}; each phase {tasks:N0} tasks x 4 sections.");
            var ideal = workers * silos / (latencyMs / 1000.0);
            var phases = new List<(string Pattern, Phase Result)>();
            if (clients > 0)
            {
                phases.Add(($"{clients} clients, each submitting as soon as its last submit is answered (closed loop: as fast as the system takes them)",
                    await MeasureAsync(dataSource, tasks, latencyMs, workers * silos, () => GcPauseSecondsAsync(metrics, processes), () => SubmitAllAsync(client, body, tasks, clients))));
            }

            if (rate > 0)
            {
                phases.Add(($"{rate} a second on a fixed schedule (open loop: each latency counts from the submit's due time)",
                    await MeasureAsync(dataSource, tasks, latencyMs, workers * silos, () => GcPauseSecondsAsync(metrics, processes), () => SubmitAtRateAsync(client, body, tasks, rate, trace))));
            }

            Console.WriteLine();
            Console.WriteLine("| submits | all submitted in | sections completed (first submit to last section) | per second | ideal (workers x silos / latency) | ratio (target >= 0.9) | submit p50 / p90 / p99 / max (target p99 <= 20 ms) | GC pauses while submitting: silos / gateway's process | tasks not completed |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---|---:|");
            foreach (var (pattern, result) in phases)
            {
                var latencies = result.Latencies;
                Console.WriteLine($"| {pattern} | {result.SubmitSeconds:N1} s | {tasks * 4:N0} in {result.Seconds:N1} s | {tasks * 4 / result.Seconds:N1} | {ideal:N1} | " +
                                  $"{tasks * 4 / result.Seconds / ideal:N3} | {Percentile(latencies, 50):N1} / {Percentile(latencies, 90):N1} / {Percentile(latencies, 99):N1} / {latencies[^1]:N1} ms | " +
                                  $"{result.SiloGcMs:N0} / {result.OwnGcMs:N0} ms | {result.NotCompleted} |");
            }

            return phases.All(p => p.Result.NotCompleted == 0) ? 0 : 1;
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            foreach (var silo in processes)
            {
                await silo.DisposeAsync();
            }

            await simulator.DisposeAsync();
            await BenchDatabase.ReleaseAsync(server, connectionString, keep);
        }
    }

    /// <summary>One measured phase: its tasks, their submit latencies (sorted), seconds to submit them all, seconds from the first submit to the last section, tasks not completed.</summary>
    private sealed record Phase(Guid[] TaskIds, List<double> Latencies, double SubmitSeconds, double Seconds, long NotCompleted, double SiloGcMs, double OwnGcMs);

    /// <summary>Submits a phase's tasks by <paramref name="submit"/>, then waits until every section of them is completed and every one of them has ended.</summary>
    private static async Task<Phase> MeasureAsync(NpgsqlDataSource dataSource, int tasks, int latencyMs, int workers, Func<Task<double>> siloGcSeconds,
        Func<Task<List<(Guid TaskId, double Milliseconds)>>> submit)
    {
        var (siloGc, ownGc) = (await siloGcSeconds(), GC.GetTotalPauseDuration());
        var started = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var submitted = await submit();
        var submitSeconds = started.Elapsed.TotalSeconds;
        (siloGc, ownGc) = (await siloGcSeconds() - siloGc, GC.GetTotalPauseDuration() - ownGc);
        var ids = submitted.Select(s => s.TaskId).ToArray();
        var sections = tasks * 4;
        await WaitAsync(dataSource, "SELECT count(*) FROM analysis_task_sections WHERE task_id = ANY($1) AND status = 'completed'", ids,
            sections, TimeSpan.FromSeconds(Math.Max(300, sections * latencyMs / 1000.0 / workers * 10)));
        // A task takes its status from its sections when its run ends, a moment after its last section.
        await WaitAsync(dataSource, "SELECT count(*) FROM analysis_tasks WHERE status IN ('pending', 'running') AND task_id = ANY($1)", ids, 0, TimeSpan.FromSeconds(60));
        await using var last = dataSource.CreateCommand("SELECT max(finished_at) FROM analysis_task_sections WHERE task_id = ANY($1)");
        last.Parameters.Add(new NpgsqlParameter { Value = ids });
        var finishedAt = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await last.ExecuteScalarAsync())!, DateTimeKind.Utc));
        var notCompleted = await ScalarAsync(dataSource, "SELECT count(*) FROM analysis_tasks WHERE status <> 'completed' AND task_id = ANY($1)", ids);
        return new Phase(ids, [.. submitted.Select(s => s.Milliseconds).Order()], submitSeconds, (finishedAt - startedAt).TotalSeconds, notCompleted,
            siloGc * 1000, ownGc.TotalMilliseconds);
    }

    /// <summary>One task of the seed's four sections.</summary>
    private const string Example =
        """
        [{"Market Value": 1250000.50, "Top Asset": "Nestle"},
         {"top_movers_data": [{"name": "Roche", "change_pct": 3.2}, {"name": "UBS", "change_pct": -2.5}]},
         {"assets": [{"name": "Nestle", "mv": 500000}, {"name": "Roche", "mv": 750000.50}], "total_portfolio_mv": 1250000.50},
         {"performance": [{"period": "1M", "return_pct": 1.5}, {"period": "1Y", "return_pct": 7.25}]}]
        """;

    private static async Task<(Guid TaskId, double Milliseconds)> SubmitAsync(HttpClient client, string body)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/task/submit", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var milliseconds = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /task/submit answered {(int)response.StatusCode}: {text}");
        }

        return (Guid.Parse(JsonDocument.Parse(text).RootElement.GetProperty("task_id").GetString()!), milliseconds);
    }

    /// <summary>Submits <paramref name="count"/> tasks from <paramref name="clients"/> concurrent clients, each as soon as its last answered.</summary>
    private static async Task<List<(Guid TaskId, double Milliseconds)>> SubmitAllAsync(HttpClient client, string body, int count, int clients)
    {
        var submitted = new List<(Guid TaskId, double Milliseconds)>(count);
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var one = await SubmitAsync(client, body);
                lock (submitted)
                {
                    submitted.Add(one);
                }
            }
        }));
        return submitted;
    }

    /// <summary>
    /// Submits <paramref name="count"/> tasks at <paramref name="perSecond"/> a second on a fixed schedule, whatever the
    /// answers' pace: each latency counts from the submit's due time, so a slow answer cannot hide the submits due behind it.
    /// </summary>
    private static async Task<List<(Guid TaskId, double Milliseconds)>> SubmitAtRateAsync(HttpClient client, string body, int count, int perSecond, string? trace)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task<(Guid TaskId, double Milliseconds)>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            pending.Add(SubmitDueAsync(client, body, clock, due));
        }

        var all = await Task.WhenAll(pending);
        if (trace is not null)
        {
            // Where the slow submits fall in time tells a stall of everything (a GC, a burst of background work: a run of
            // consecutive slow submits) from contention for the cores (slow submits scattered through the phase).
            // The due time also as UTC, to line the submits up with what other tools recorded (GC events, perf samples).
            await File.WriteAllLinesAsync(trace, ["index due_ms latency_ms due_utc", .. all.Select((s, i) => string.Create(CultureInfo.InvariantCulture,
                $"{i} {i * 1000.0 / perSecond:F1} {s.Milliseconds:F1} {startedAt.AddSeconds((double)i / perSecond):HH:mm:ss.fff}"))]);
            Console.WriteLine($"Wrote each open-loop submit's due time and latency to {trace}.");
        }

        return [.. all];
    }

    private static async Task<(Guid TaskId, double Milliseconds)> SubmitDueAsync(HttpClient client, string body, Stopwatch clock, TimeSpan due)
    {
        var (taskId, _) = await SubmitAsync(client, body);
        return (taskId, (clock.Elapsed - due).TotalMilliseconds);
    }

    /// <summary>Seconds the silos' JIT has spent compiling so far (<c>dotnet.jit.compilation.time</c> on each silo's <c>/metrics</c>).</summary>
    private static Task<double> JitSecondsAsync(HttpClient http, IEnumerable<SiloProcess> silos) =>
        MetricSumAsync(http, silos, "dotnet_jit_compilation_time_seconds_total");

    /// <summary>Seconds the silos have been paused for garbage collection so far (<c>dotnet.gc.pause.time</c>).</summary>
    private static Task<double> GcPauseSecondsAsync(HttpClient http, IEnumerable<SiloProcess> silos) =>
        MetricSumAsync(http, silos, "dotnet_gc_pause_time_seconds_total");

    /// <summary>A counter summed over the silos' <c>/metrics</c>.</summary>
    private static async Task<double> MetricSumAsync(HttpClient http, IEnumerable<SiloProcess> silos, string metric)
    {
        var total = 0.0;
        foreach (var silo in silos)
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{silo.HealthPort}/metrics"));
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(metric, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"{silo.Name}'s /metrics has no {metric}.");
            total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return total;
    }

    private static async Task WaitAsync(NpgsqlDataSource dataSource, string sql, Guid[] ids, long expected, TimeSpan timeout) =>
        await Eventually.TrueAsync(async () => await ScalarAsync(dataSource, sql, ids) == expected, $"{sql} reaches {expected}", timeout);

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, Guid[] ids)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static bool TryInt(string? text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
