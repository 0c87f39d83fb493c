using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tributary.Storage.Dossiers;
using Tributary.Storage.Jobs;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>wealthx-session</c>: how long one 14,000-record WealthX session takes at the default 1 s minimum interval, on a
/// real silo process, the in-process gateway and the in-process simulator (issue 4's target: at most 1.03 x 28 s),
/// against the seed script's loop (28 calls, each followed by a 1 s sleep) in the same run.
/// </summary>
/// <remarks>
/// Every clock read here (the POST, the database's <c>now()</c>, the simulator's request log) is the same host's
/// wall clock, so the three can be subtracted from each other.
/// </remarks>
internal static class WealthXSessionBenchmark
{
    private const string Usage = "usage: wealthx-session [--runs 1] [--keep]";
    private const string Feed = "default";
    private const string Route = "wealthx.alldossiers";
    private const int CallsPerSession = 28;
    private const int PageSize = 500;
    private const int SessionSize = CallsPerSession * PageSize;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly double IdealSeconds = CallsPerSession * Interval.TotalSeconds;
    private static readonly double TargetSeconds = 1.03 * IdealSeconds;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 1;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
            }
            else if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 29)
            {
                runs = value;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}' (--runs is 1..29: the simulator holds 420,000 dossiers and the baseline reads the session after the last). {Usage}");
                return 2;
            }
        }

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_wealthx_session");
        var simulator = await Simulator.StartAsync();
        SiloProcess? silo = null;
        GatewayHost? gateway = null;
        try
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            var (clusterId, serviceId) = ($"cluster-{id}", $"service-{id}");
            silo = SiloProcess.Start("silo-1", SiloSettings(connectionString, clusterId, serviceId, simulator));
            gateway = await StartGatewayAsync(silo, connectionString, clusterId, serviceId);
            using var client = gateway.CreateClient(GatewayHost.OperatorKey);
            await Eventually.TrueAsync(
                async () => (await client.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == 1,
                $"the cluster reports its one silo as active; silo output:\n{silo.Output}");

            var settings = (await client.GetFromJsonAsync<JsonElement>($"/api/wealthx/{Feed}/status")).GetProperty("settings");
            Console.WriteLine(
                $"WealthX settings as the silo reports them (defaults, not overridden): SessionSize {settings.GetProperty("session_size").GetInt32():N0}, " +
                $"MinCallInterval {settings.GetProperty("min_call_interval_seconds").GetDouble():0.###} s, ApiBatchSize {settings.GetProperty("api_batch_size").GetInt32()}.");
            Console.WriteLine($"One silo process (Release), gateway and simulator in this process, PostgreSQL {new NpgsqlConnectionStringBuilder(connectionString).Host}:{new NpgsqlConnectionStringBuilder(connectionString).Port}.");
            Console.WriteLine();

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var sessions = new List<SessionMeasurement>();
            for (var run = 1; run <= runs; run++)
            {
                var session = await MeasureSessionAsync(run, client, simulator, dataSource);
                sessions.Add(session);
                Print(session);
                if (session.Status != "succeeded")
                {
                    break;
                }
            }

            var stored = await new PostgresDossierStore(dataSource, TimeProvider.System).CountAsync(CancellationToken.None);
            var baseline = await MeasureBaselineAsync(simulator, (sessions.Count * SessionSize) + 1);
            PrintTable(sessions, baseline, stored);

            var failures = new List<string>();
            foreach (var session in sessions)
            {
                if (session.Status != "succeeded")
                {
                    failures.Add($"Session {session.Run} ended '{session.Status}', not 'succeeded' (error: {session.Error ?? "none"}); silo output:\n{silo.Output}");
                }

                if (session.Calls.Count != CallsPerSession)
                {
                    failures.Add($"Session {session.Run} made {session.Calls.Count} alldossiers calls, not {CallsPerSession}.");
                }
            }

            if (stored != (long)sessions.Count * SessionSize)
            {
                failures.Add($"The store holds {stored:N0} dossiers after {sessions.Count} session(s), not {(long)sessions.Count * SessionSize:N0}.");
            }

            foreach (var failure in failures)
            {
                Console.Error.WriteLine(failure);
            }

            return failures.Count == 0 ? 0 : 1;
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

    /// <summary>The cluster tests' silo settings (ClusterSettings.ForSilo), pointed at the simulator with the schedule off.</summary>
    internal static Dictionary<string, string> SiloSettings(string connectionString, string clusterId, string serviceId, Simulator simulator)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Database:MigrateOnStart"] = "true",
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:ServiceId"] = serviceId,
            ["Silo:MinimumReminderPeriod"] = "00:00:01",
            ["JobRuntime:WatchdogPeriod"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Tributary"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in simulator.WealthXSettings())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts the gateway, failing with the silo's own words if it dies while the gateway's client waits for it.</summary>
    internal static async Task<GatewayHost> StartGatewayAsync(SiloProcess silo, string connectionString, string clusterId, string serviceId)
    {
        var gateway = GatewayHost.StartAsync(connectionString, clusterId, serviceId);
        while (!gateway.IsCompleted)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"{silo.Name} exited with {silo.ExitCode} during start-up:\n{silo.Output}");
            }

            await Task.WhenAny(gateway, Task.Delay(200));
        }

        return await gateway;
    }

    private static async Task<SessionMeasurement> MeasureSessionAsync(int run, HttpClient client, Simulator simulator, NpgsqlDataSource dataSource)
    {
        var previous = (await CallsAsync(simulator)).LastOrDefault();
        var before = previous?.Sequence ?? 0;

        var postedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync($"/api/wealthx/{Feed}/sessions", null);
        var postSeconds = watch.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/wealthx/{Feed}/sessions answered {(int)response.StatusCode}, not 202: {await response.Content.ReadAsStringAsync()}");
        }

        var runId = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
        // As the cluster tests wait for a run (WealthXPull.WaitForRunAsync): Eventually's pause grows to 500 ms,
        // so the observed end lags the recorded one by up to that much plus a query.
        var runs = new JobRunStore(dataSource);
        var record = await Eventually.ValueAsync(
            async () => await runs.GetRunAsync(runId, CancellationToken.None) is { Status: not RunStatus.Running } ended ? ended : null,
            $"session {run} (run {runId}) ends", TimeSpan.FromSeconds(180));
        var observedSeconds = watch.Elapsed.TotalSeconds;
        var observedAt = postedAt + watch.Elapsed;
        var finishedAt = record.FinishedAt ?? throw new InvalidOperationException($"Run {runId} ended '{record.Status.ToText()}' without a finished_at.");

        // A batch row is claimed before its rate-limit wait and finished after the page is stored and checkpointed.
        var batches = (await runs.GetBatchesAsync(runId, CancellationToken.None))
            .Where(b => b.FinishedAt is not null)
            .Select(b => (Claimed: b.StartedAt, Finished: b.FinishedAt!.Value))
            .ToList();

        var calls = (await CallsAsync(simulator)).Where(c => c.Sequence > before).ToList();
        return new SessionMeasurement(
            run, runId, record.Status.ToText(), record.Error, record.ItemsProcessed, postedAt, postSeconds, observedSeconds, observedAt, record.CreatedAt, record.StartedAt,
            finishedAt, batches, calls, previous?.At);
    }

    /// <summary>
    /// The seed script's loop, emulated: 28 sequential calls for the next 28 pages, each followed by a 1 s sleep once
    /// its response is read (what <c>time.sleep(1)</c> after <c>requests.get</c> does); nothing is stored.
    /// </summary>
    private static async Task<BaselineMeasurement> MeasureBaselineAsync(Simulator simulator, int fromIndex)
    {
        using var http = new HttpClient { BaseAddress = simulator.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("username", Simulator.WealthXUser);
        http.DefaultRequestHeaders.Add("password", Simulator.WealthXPassword);
        var callSeconds = new List<double>();
        var watch = Stopwatch.StartNew();
        for (var page = 0; page < CallsPerSession; page++)
        {
            var from = fromIndex + (page * PageSize);
            var call = Stopwatch.StartNew();
            using var response = await http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"wealthx/rest/v1/alldossiers?fromIndex={from}&toIndex={from + PageSize - 1}"));
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            callSeconds.Add(call.Elapsed.TotalSeconds);
            await Task.Delay(Interval);
        }

        return new BaselineMeasurement(fromIndex, fromIndex + SessionSize - 1, watch.Elapsed.TotalSeconds, callSeconds);
    }

    private static void Print(SessionMeasurement s)
    {
        Console.WriteLine($"Session {s.Run} (run {s.RunId}): {s.Status}, {s.ItemsProcessed:N0} dossiers, {s.Calls.Count} alldossiers calls " +
                          $"({s.Calls.Count(c => c.Status == 200)} answered 200), pages {(s.Calls.Count > 0 ? s.Calls[0].Range : "-")} .. {(s.Calls.Count > 0 ? s.Calls[^1].Range : "-")}.");
        Console.WriteLine($"  POST answered 202 in {s.PostSeconds * 1000:N0} ms; run row created {Ms(s.CreatedAt - s.PostedAt)} ms and started {(s.StartedAt is { } started ? Ms(started - s.PostedAt) : "-")} ms after the POST.");
        if (s.Calls.Count > 0)
        {
            var gaps = s.Gaps;
            Console.WriteLine($"  first call {Ms(s.Calls[0].At - s.PostedAt)} ms after the POST; first to last call {(s.Calls[^1].At - s.Calls[0].At).TotalSeconds:N3} s; " +
                              $"last call to finished_at {Ms(s.FinishedAt - s.Calls[^1].At)} ms.");
            if (s.Batches.Count > 0)
            {
                Console.WriteLine($"  before the first call: run created {Ms(s.CreatedAt - s.PostedAt)} ms, first batch claimed {Ms(s.Batches[0].Claimed - s.CreatedAt)} ms later, " +
                                  $"its call arrived {Ms(s.Calls[0].At - s.Batches[0].Claimed)} ms after the claim" +
                                  (s.PreviousCallAt is { } previous ? $" and {Ms(s.Calls[0].At - previous)} ms after the previous session's last call (the rate limiter spans sessions)." : "."));
            }

            if (gaps.Count > 0)
            {
                Console.WriteLine($"  gaps between consecutive calls: min {gaps.Min() * 1000:N1} ms, avg {gaps.Average() * 1000:N1} ms, max {gaps.Max() * 1000:N1} ms; " +
                                  $"sum {gaps.Sum():N3} s (each gap is the 1 s interval, counted from the end of the previous call, plus the 5 ms CallSpacingMargin and that call's own time).");
                var early = gaps.Select((g, i) => (Gap: g, From: i + 1)).Where(g => g.Gap < Interval.TotalSeconds).ToList();
                if (early.Count > 0)
                {
                    Console.WriteLine($"  gaps under 1 s as the simulator saw them: {string.Join(", ", early.Select(g => $"call {g.From} to {g.From + 1}: {g.Gap * 1000:N1} ms"))}.");
                }
            }

            if (s.Batches.Count == s.Calls.Count)
            {
                // Call arrival to batch finished: response, parse, upsert of 500 rows, cursor commit, batch row and event.
                var work = s.Batches.Select((b, i) => (b.Finished - s.Calls[i].At).TotalMilliseconds).ToList();
                Console.WriteLine($"  per page, call arrival to batch finished (answer + store + checkpoint): min {work.Min():N0} ms, avg {work.Average():N0} ms, max {work.Max():N0} ms; " +
                                  $"simulator answering avg {s.Calls.Average(c => c.DurationMs):N1} ms.");
            }
        }

        Console.WriteLine($"  elapsed: POST to finished_at {s.RecordedSeconds:N3} s; Stopwatch POST to observed end {s.ObservedSeconds:N3} s " +
                          $"(polling slack {Ms(s.ObservedAt - s.FinishedAt)} ms); created_at to finished_at {(s.FinishedAt - s.CreatedAt).TotalSeconds:N3} s.");
        Console.WriteLine();
    }

    private static void PrintTable(IReadOnlyList<SessionMeasurement> sessions, BaselineMeasurement baseline, long stored)
    {
        Console.WriteLine($"Baseline (seed loop, pages {baseline.FromIndex:N0}..{baseline.ToIndex:N0}): {CallsPerSession} x (call + 1 s sleep) = {baseline.Seconds:N3} s; " +
                          $"call time min {baseline.CallSeconds.Min() * 1000:N1} ms, avg {baseline.CallSeconds.Average() * 1000:N1} ms, max {baseline.CallSeconds.Max() * 1000:N1} ms.");
        Console.WriteLine($"Store: {stored:N0} rows in wealthx_dossiers.");
        Console.WriteLine();
        Console.WriteLine("| measure | seconds | / 28 s | within 28.84 s |");
        Console.WriteLine("|---|---:|---:|---|");
        Console.WriteLine($"| target: 1.03 x 28 calls at 1 s | {TargetSeconds:N2} | {TargetSeconds / IdealSeconds:N3} | |");
        foreach (var s in sessions)
        {
            Row($"session {s.Run}: POST to finished_at (database)", s.RecordedSeconds);
            Row($"session {s.Run}: POST to observed end (Stopwatch, incl. polling slack)", s.ObservedSeconds);
            Row($"session {s.Run}: created_at to finished_at (database)", (s.FinishedAt - s.CreatedAt).TotalSeconds);
            if (s.Calls.Count > 1)
            {
                Console.WriteLine($"| session {s.Run}: first to last call (simulator log) | {(s.Calls[^1].At - s.Calls[0].At).TotalSeconds:N3} | {(s.Calls[^1].At - s.Calls[0].At).TotalSeconds / IdealSeconds:N3} | (27 gaps) |");
            }
        }

        Row("baseline: seed loop, 28 x (call + 1 s sleep), no storing", baseline.Seconds);
        Console.WriteLine();

        static void Row(string name, double seconds) =>
            Console.WriteLine($"| {name} | {seconds:N3} | {seconds / IdealSeconds:N3} | {(seconds <= TargetSeconds ? "yes" : $"no, +{seconds - TargetSeconds:N3} s")} |");
    }

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture);

    private static async Task<List<WealthXCall>> CallsAsync(Simulator simulator) =>
        (await simulator.RequestsAsync(Route))
            .Select(e => new WealthXCall(e.Sequence, e.TimeUtc, e.PathAndQuery, e.Status, e.DurationMs))
            .ToList();

    /// <summary>One <c>alldossiers</c> call as the simulator logged it (arrival time, status, time spent answering).</summary>
    private sealed record WealthXCall(long Sequence, DateTimeOffset At, string PathAndQuery, int? Status, double DurationMs)
    {
        public string Range
        {
            get
            {
                var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + PathAndQuery).Query);
                return $"{query["fromIndex"]}-{query["toIndex"]}";
            }
        }
    }

    /// <summary>One session: the client's POST time and Stopwatch, the run as <c>job_runs</c> recorded it, and its calls.</summary>
    private sealed record SessionMeasurement(
        int Run, Guid RunId, string Status, string? Error, int ItemsProcessed,
        DateTimeOffset PostedAt, double PostSeconds, double ObservedSeconds, DateTimeOffset ObservedAt,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset FinishedAt,
        IReadOnlyList<(DateTimeOffset Claimed, DateTimeOffset Finished)> Batches, IReadOnlyList<WealthXCall> Calls, DateTimeOffset? PreviousCallAt)
    {
        /// <summary>From the POST (client clock) to <c>finished_at</c> (database clock, same host): no polling in it.</summary>
        public double RecordedSeconds => (FinishedAt - PostedAt).TotalSeconds;

        public IReadOnlyList<double> Gaps => Calls.Zip(Calls.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
    }

    private sealed record BaselineMeasurement(int FromIndex, int ToIndex, double Seconds, IReadOnlyList<double> CallSeconds);
}
