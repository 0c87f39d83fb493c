using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>truelayer-import</c>: a bank import of 50 accounts x 2,000 transactions at 100 ms simulated latency per call, on a
/// real silo process, the in-process gateway and the in-process simulator (issue 12's target: elapsed at most 1.25 x
/// the ideal, calls x latency / workers), against the seed's sequential loop (<see cref="SequentialImport"/>) in the
/// same run.
/// </summary>
/// <remarks>Every clock read here (the POST, the job's <c>finished_at</c>, the simulator's request log) is the same host's wall clock.</remarks>
internal static class TrueLayerImportBenchmark
{
    private const string Usage =
        "usage: truelayer-import [--workers 4 | --workers 4,8] [--accounts 50] [--transactions 2000] [--latency-ms 100] [--baseline-accounts 10] [--keep]";

    private const string TransactionsRoute = "truelayer.transactions";
    private const string PendingRoute = "truelayer.pending";
    private const int WindowDays = 30;
    private const int RangeDays = 365;
    private const double Target = 1.25;

    public static async Task<int> RunAsync(string[] args)
    {
        var workers = new List<int> { 4 };
        var accounts = 50;
        var transactions = 2000;
        var latencyMs = 100;
        var baselineAccounts = 10;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : null;
            var ok = args[i] switch
            {
                "--workers" => TryList(value, 1, 16, out workers),
                "--accounts" => TryInt(value, 1, 100, out accounts),
                "--transactions" => TryInt(value, 1, 100_000, out transactions),
                "--latency-ms" => TryInt(value, 0, 10_000, out latencyMs),
                "--baseline-accounts" => TryInt(value, 0, 100, out baselineAccounts),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}' (--workers: 1..16, or a list such as 4,8; --accounts 1..100; --transactions 1..100000; " +
                                        $"--latency-ms 0..10000; --baseline-accounts 0..100, 0 for none). {Usage}");
                return 2;
            }

            i++;
        }

        baselineAccounts = Math.Min(baselineAccounts, accounts);
        var to = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = to.AddDays(-RangeDays);
        var windows = (to.DayNumber - from.DayNumber + WindowDays) / WindowDays;
        var callsPerAccount = 1 + windows;

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_truelayer_import");
        // Old history (> 90 days) stays readable for the whole run, not 5 minutes after each consent.
        var simulator = await Simulator.StartAsync(new Dictionary<string, string> { ["Simulators:TrueLayer:ScaWindowMinutes"] = "600" });
        SiloProcess? silo = null;
        GatewayHost? gateway = null;
        try
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            var (clusterId, serviceId) = ($"cluster-{id}", $"service-{id}");
            var settings = WealthXSessionBenchmark.SiloSettings(connectionString, clusterId, serviceId, simulator);
            foreach (var (key, value) in simulator.TrueLayerSettings())
            {
                settings[key] = value;
            }

            silo = SiloProcess.Start("silo-1", settings);
            gateway = await WealthXSessionBenchmark.StartGatewayAsync(silo, connectionString, clusterId, serviceId);
            using var client = gateway.CreateClient(GatewayHost.OperatorKey);
            await Eventually.TrueAsync(
                async () => (await client.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == 1,
                $"the cluster reports its one silo as active; silo output:\n{silo.Output}");

            foreach (var route in new[] { TransactionsRoute, PendingRoute })
            {
                using var fault = await simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route, kind = "latency", latencyMs });
                if (!fault.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The simulator refused the latency fault on {route}: {(int)fault.StatusCode} {await fault.Content.ReadAsStringAsync()}");
                }
            }

            var pg = new NpgsqlConnectionStringBuilder(connectionString);
            Console.WriteLine($"One silo process (Release), gateway and simulator in this process, PostgreSQL {pg.Host}:{pg.Port}, {Environment.ProcessorCount} cores.");
            Console.WriteLine($"Per import: {accounts} accounts x {transactions:N0} transactions (no pending), range {from:yyyy-MM-dd}..{to:yyyy-MM-dd} ({RangeDays + 1} days), " +
                              $"{windows} windows of {WindowDays} days + 1 pending call = {callsPerAccount} calls per account; {latencyMs} ms latency injected on {TransactionsRoute} and {PendingRoute}; " +
                              $"batch_size 100, auto_enrich false; each workers value on a fresh consent and connection (nothing is a duplicate).");
            Console.WriteLine();

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var failures = new List<string>();
            var imports = new List<ImportMeasurement>();
            foreach (var w in workers)
            {
                var import = await MeasureImportAsync(client, simulator, dataSource, w, accounts, transactions, latencyMs, from, to);
                imports.Add(import);
                Print(import);
                failures.AddRange(Check(import, accounts, transactions, callsPerAccount, silo));
            }

            var stored = await ScalarAsync(dataSource, "SELECT count(*) FROM truelayer_transactions");
            var expected = (long)imports.Count * accounts * transactions;
            if (stored != expected)
            {
                failures.Add($"truelayer_transactions holds {stored:N0} rows after {imports.Count} import(s), not {expected:N0}.");
            }

            SequentialResult? baseline = null;
            if (baselineAccounts > 0)
            {
                Console.WriteLine($"Baseline: the seed's sequential loop on a fresh consent of {baselineAccounts} account(s)...");
                var consent = await ConsentAsync(simulator, baselineAccounts, transactions);
                using var http = new HttpClient { BaseAddress = simulator.Address, Timeout = TimeSpan.FromSeconds(60) };
                var sequential = new SequentialImport(http, dataSource);
                await sequential.CreateTableAsync();
                baseline = await sequential.RunAsync(consent.AccessToken, consent.Accounts, from, to, WindowDays);
                var rows = await sequential.CountAsync();
                if (rows != (long)baselineAccounts * transactions || baseline.Stored != rows)
                {
                    failures.Add($"The sequential loop stored {rows:N0} rows (inserted {baseline.Stored:N0}), not {(long)baselineAccounts * transactions:N0}.");
                }
            }

            Console.WriteLine();
            PrintTable(imports, baseline, accounts, latencyMs, stored);

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

    private static async Task<ImportMeasurement> MeasureImportAsync(
        HttpClient client, Simulator simulator, NpgsqlDataSource dataSource, int workers, int accounts, int transactions, int latencyMs, DateOnly from, DateOnly to)
    {
        var consent = await ConsentAsync(simulator, accounts, transactions);
        var connectionId = await PostAsync(client, "/api/truelayer/connections", new { refresh_token = consent.RefreshToken }, HttpStatusCode.Created, "connection_id");
        var plan = await PostForBodyAsync(client, "/api/truelayer/import/plan", new
        {
            connection_id = connectionId,
            from_date = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to_date = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            max_workers = workers,
            batch_size = 100,
            auto_enrich = false,
        }, HttpStatusCode.Created);
        var jobId = plan.GetProperty("job_id").GetString()!;
        var estimate = plan.TryGetProperty("estimated_duration_seconds", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;

        var before = (await simulator.RequestsAsync()) is { Count: > 0 } log ? log[^1].Sequence : 0;
        var postedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        await PostAsync(client, "/api/truelayer/import/start", new { job_id = jobId }, HttpStatusCode.Accepted, "run_id");
        var ideal = (double)accounts * (1 + ((to.DayNumber - from.DayNumber + WindowDays) / WindowDays)) * latencyMs / 1000.0 / workers;
        var status = await Eventually.ValueAsync<JsonElement?>(async () =>
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/truelayer/import/status/{jobId}");
            return body.GetProperty("status").GetString() is "completed" or "partially_completed" or "failed" ? body : null;
        }, $"import {jobId} ({workers} workers) ends", TimeSpan.FromSeconds(Math.Max(180, ideal * 10))) ?? default;
        var observedSeconds = watch.Elapsed.TotalSeconds;

        var finishedAt = status.GetProperty("finished_at").ValueKind == JsonValueKind.String
            ? status.GetProperty("finished_at").GetDateTimeOffset()
            : throw new InvalidOperationException($"Import {jobId} ended '{status.GetProperty("status").GetString()}' without a finished_at: {status}");
        var calls = (await simulator.RequestsAsync())
            .Where(c => c.Sequence > before && c.Route is TransactionsRoute or PendingRoute)
            .ToList();
        var totals = status.GetProperty("total_so_far");
        var ids = consent.Accounts.ToArray();
        var rows = await ScalarAsync(dataSource, "SELECT count(*) FROM truelayer_transactions WHERE account_id = ANY(@ids)", ("ids", ids));
        var accountStates = status.GetProperty("accounts").EnumerateArray()
            .GroupBy(a => a.GetProperty("status").GetString() ?? "?")
            .ToDictionary(g => g.Key, g => g.Count());
        var messages = status.GetProperty("accounts").EnumerateArray()
            .Where(a => a.GetProperty("message").ValueKind == JsonValueKind.String)
            .Select(a => $"{a.GetProperty("account_id").GetString()}: {a.GetProperty("message").GetString()}")
            .ToList();

        // How many calls were in flight, on average and at most, as the simulator saw them.
        var busy = calls.Sum(c => c.DurationMs) / 1000.0;
        var points = calls.SelectMany(c => new[] { (At: c.TimeUtc, Delta: 1), (At: c.TimeUtc.AddMilliseconds(c.DurationMs), Delta: -1) })
            .OrderBy(p => p.At).ThenBy(p => p.Delta);
        int inFlight = 0, peak = 0;
        foreach (var p in points)
        {
            inFlight += p.Delta;
            peak = Math.Max(peak, inFlight);
        }

        // Between one account's consecutive calls (end of one to arrival of the next): the import's own work per window.
        var byAccount = calls
            .GroupBy(c => c.PathAndQuery.Split('/', StringSplitOptions.RemoveEmptyEntries) is var parts && Array.IndexOf(parts, "accounts") is var k and >= 0 ? parts[k + 1] : "?")
            .ToList();
        // One account's span: its first call's arrival to its last call's end.
        var spans = byAccount.Select(g => (g.Max(c => c.TimeUtc.AddMilliseconds(c.DurationMs)) - g.Min(c => c.TimeUtc)).TotalSeconds).ToList();
        var gaps = byAccount
            .SelectMany(g => g.OrderBy(c => c.Sequence).ToList() is var list
                ? list.Zip(list.Skip(1), (a, b) => (b.TimeUtc - a.TimeUtc.AddMilliseconds(a.DurationMs)).TotalMilliseconds)
                : [])
            .Order()
            .ToList();

        return new ImportMeasurement(
            workers, jobId, status.GetProperty("status").GetString()!, accounts, postedAt, finishedAt, observedSeconds, estimate,
            calls.Count, calls.Count(c => c.Route == TransactionsRoute), calls.Count(c => c.Route == PendingRoute), calls.Count(c => c.Status != 200),
            calls.Count > 0 ? (calls[0].TimeUtc - postedAt).TotalSeconds : double.NaN,
            calls.Count > 0 ? (finishedAt - calls.Max(c => c.TimeUtc.AddMilliseconds(c.DurationMs))).TotalSeconds : double.NaN,
            calls.Count > 0 ? calls.Average(c => c.DurationMs) : double.NaN,
            busy, peak,
            totals.GetProperty("synced").GetInt64(), totals.GetProperty("duplicates").GetInt64(), totals.GetProperty("errors").GetInt64(),
            rows, accountStates, messages, latencyMs, gaps, spans);
    }

    private static IEnumerable<string> Check(ImportMeasurement m, int accounts, int transactions, int callsPerAccount, SiloProcess silo)
    {
        if (m.Status != "completed")
        {
            yield return $"Import with {m.Workers} workers ended '{m.Status}', not 'completed'; accounts: {string.Join(", ", m.AccountStates.Select(s => $"{s.Value} {s.Key}"))}; " +
                         $"messages: {string.Join(" | ", m.Messages.Take(5))}; silo output (tail):\n{Tail(silo.Output, 40)}";
        }

        var expected = (long)accounts * transactions;
        if (m.Rows != expected || m.Synced != expected || m.Duplicates != 0 || m.Errors != 0)
        {
            yield return $"Import with {m.Workers} workers: {m.Rows:N0} rows stored for its accounts, status synced {m.Synced:N0}, duplicates {m.Duplicates:N0}, errors {m.Errors:N0}; " +
                         $"expected {expected:N0} rows and synced, no duplicates, no errors.";
        }

        if (m.Calls != accounts * callsPerAccount || m.FailedCalls != 0)
        {
            yield return $"Import with {m.Workers} workers made {m.Calls} data calls ({m.FailedCalls} not 200), not {accounts * callsPerAccount} ({accounts} x {callsPerAccount}).";
        }
    }

    private static void Print(ImportMeasurement m)
    {
        Console.WriteLine($"Import, {m.Workers} workers (job {m.JobId}): {m.Status}; accounts {string.Join(", ", m.AccountStates.Select(s => $"{s.Value} {s.Key}"))}; " +
                          $"synced {m.Synced:N0}, duplicates {m.Duplicates:N0}, errors {m.Errors:N0}; {m.Rows:N0} rows stored for its accounts.");
        Console.WriteLine($"  calls: {m.Calls} ({m.TransactionCalls} transactions + {m.PendingCalls} pending, {m.FailedCalls} not 200), simulator time per call avg {m.AverageCallMs:N1} ms; " +
                          $"first call {m.FirstCallSeconds * 1000:N0} ms after the POST; last call's end to finished_at {m.TailSeconds * 1000:N0} ms.");
        Console.WriteLine($"  calls in flight: avg {m.BusySeconds / m.ElapsedSeconds:N2} (sum of call times {m.BusySeconds:N1} s / elapsed), peak {m.PeakInFlight}; " +
                          $"plan's estimated_duration_seconds {m.EstimateSeconds:N0}.");
        Console.WriteLine($"  elapsed: POST start to finished_at {m.ElapsedSeconds:N3} s; Stopwatch to observed end {m.ObservedSeconds:N3} s (incl. polling slack); " +
                          $"ideal {m.IdealSeconds:N3} s; ratio {m.Ratio:N3} (target <= {Target:N2}).");
        if (m.Gaps.Count > 0)
        {
            Console.WriteLine($"  within an account, end of one call to arrival of the next ({m.Gaps.Count} gaps): min {m.Gaps[0]:N1} ms, median {m.Gaps[m.Gaps.Count / 2]:N1} ms, " +
                              $"p90 {m.Gaps[(int)(m.Gaps.Count * 0.9)]:N1} ms, max {m.Gaps[^1]:N1} ms, sum {m.Gaps.Sum() / 1000:N1} s " +
                              $"(the silo's work between two windows: answer parsed, rows committed in batches, progress saved, next call sent).");
        }

        if (m.Spans.Count > 0)
        {
            Console.WriteLine($"  per account, first call to last call's end: min {m.Spans.Min():N2} s, avg {m.Spans.Average():N2} s, max {m.Spans.Max():N2} s " +
                              $"({m.Calls / (double)m.Spans.Count:N0} calls x {m.LatencyMs} ms would be {m.Calls / (double)m.Spans.Count * m.LatencyMs / 1000:N2} s); " +
                              $"sum / workers {m.Spans.Sum() / m.Workers:N2} s, so {m.ElapsedSeconds - (m.Spans.Sum() / m.Workers):N2} s of the elapsed is outside the accounts' spans " +
                              $"(start, hand-over to the next account, close, and the last round with fewer accounts than workers).");
        }

        foreach (var message in m.Messages.Take(5))
        {
            Console.WriteLine($"  account message: {message}");
        }

        Console.WriteLine();
    }

    private static void PrintTable(IReadOnlyList<ImportMeasurement> imports, SequentialResult? baseline, int accounts, int latencyMs, long stored)
    {
        double? extrapolated = baseline is null ? null : baseline.Seconds * accounts / baseline.Accounts;
        Console.WriteLine("| run | workers | accounts | transactions | calls | elapsed s | ideal s | ratio | tx/s | vs sequential |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in imports)
        {
            Console.WriteLine($"| import ({m.Status}) | {m.Workers} | {m.Accounts} | {m.Synced:N0} | {m.Calls} | {m.ElapsedSeconds:N2} | {m.IdealSeconds:N2} | " +
                              $"{m.Ratio:N3} {(m.Ratio <= Target ? "(<= 1.25)" : "(> 1.25)")} | {m.Synced / m.ElapsedSeconds:N0} | " +
                              $"{(extrapolated is { } x ? $"{x / m.ElapsedSeconds:N1}x" : "-")} |");
        }

        if (baseline is not null)
        {
            var ideal = baseline.Calls * latencyMs / 1000.0;
            Console.WriteLine($"| sequential loop, measured | 1 | {baseline.Accounts} | {baseline.Stored:N0} | {baseline.Calls} | {baseline.Seconds:N2} | {ideal:N2} | {baseline.Seconds / ideal:N3} | " +
                              $"{baseline.Stored / baseline.Seconds:N0} | 1.0x |");
            var factor = (double)accounts / baseline.Accounts;
            if (baseline.Accounts != accounts)
            {
                Console.WriteLine($"| sequential loop, extrapolated * | 1 | {accounts} | {baseline.Stored * factor:N0} | {baseline.Calls * factor:N0} | {extrapolated:N2} | {ideal * factor:N2} | " +
                                  $"{baseline.Seconds / ideal:N3} | {baseline.Stored / baseline.Seconds:N0} | 1.0x |");
            }
        }

        Console.WriteLine();
        if (baseline is not null)
        {
            Console.WriteLine($"Sequential loop: {baseline.Accounts} account(s), {baseline.Calls} calls, {baseline.Transactions:N0} transactions read, {baseline.Stored:N0} inserted, {baseline.Seconds:N2} s: " +
                              $"{baseline.CallSeconds:N2} s in calls (avg {baseline.CallSeconds / baseline.Calls * 1000:N1} ms), {baseline.InsertSeconds:N2} s in {baseline.Transactions:N0} autocommit INSERTs " +
                              $"(avg {baseline.InsertSeconds / Math.Max(1, baseline.Transactions) * 1000:N3} ms).");
            if (baseline.Accounts != accounts)
            {
                Console.WriteLine($"* extrapolated linearly x{(double)accounts / baseline.Accounts:N1} from {baseline.Accounts} to {accounts} accounts (every account has the same calls and transactions): {extrapolated:N2} s.");
            }
        }

        Console.WriteLine($"truelayer_transactions holds {stored:N0} rows. Ideal = calls x {latencyMs} ms / workers; ratio = elapsed (POST start to the job's finished_at) / ideal; " +
                          $"vs sequential = the sequential loop's time for {accounts} accounts / elapsed.");
        Console.WriteLine();
    }

    private static async Task<(string RefreshToken, string AccessToken, IReadOnlyList<string> Accounts)> ConsentAsync(Simulator simulator, int accounts, int transactions)
    {
        using var response = await simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents",
            new { accounts, cards = 0, transactionsPerAccount = transactions, pendingPerAccount = 0, historyDays = RangeDays });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"The simulator made no consent: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("refresh_token").GetString()!, body.GetProperty("access_token").GetString()!,
            [.. body.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!)]);
    }

    private static async Task<string> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected, string property) =>
        (await PostForBodyAsync(client, path, body, expected)).GetProperty(property).GetString()!;

    private static async Task<JsonElement> PostForBodyAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private static bool TryInt(string? text, int min, int max, out int value) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool TryList(string? text, int min, int max, out List<int> values)
    {
        values = [];
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryInt(part, min, max, out var value))
            {
                return false;
            }

            values.Add(value);
        }

        return values.Count > 0;
    }

    /// <summary>One import: its end as the job recorded it, its calls as the simulator logged them, its counts.</summary>
    private sealed record ImportMeasurement(
        int Workers, string JobId, string Status, int Accounts, DateTimeOffset PostedAt, DateTimeOffset FinishedAt, double ObservedSeconds, double EstimateSeconds,
        int Calls, int TransactionCalls, int PendingCalls, int FailedCalls, double FirstCallSeconds, double TailSeconds, double AverageCallMs,
        double BusySeconds, int PeakInFlight, long Synced, long Duplicates, long Errors, long Rows,
        IReadOnlyDictionary<string, int> AccountStates, IReadOnlyList<string> Messages, int LatencyMs, IReadOnlyList<double> Gaps, IReadOnlyList<double> Spans)
    {
        /// <summary>From the POST start (client clock) to the job's <c>finished_at</c> (same host): no polling in it.</summary>
        public double ElapsedSeconds => (FinishedAt - PostedAt).TotalSeconds;

        public double IdealSeconds => Calls * LatencyMs / 1000.0 / Workers;

        public double Ratio => ElapsedSeconds / IdealSeconds;
    }
}
