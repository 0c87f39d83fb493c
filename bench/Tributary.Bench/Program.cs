using Tributary.Bench;

// Benchmarks print their figures; each issue adds its own (see bench/README.md).
var benchmarks = new Dictionary<string, (string Summary, Func<string[], Task<int>> Run)>(StringComparer.Ordinal)
{
    ["holdings"] = ("FinTrack daily and monthly holdings against a naive per-asset loop", HoldingsBenchmark.RunAsync),
    ["dossiers"] = ("WealthX dossier store upsert against COPY and a per-record loop", DossiersBenchmark.RunAsync),
    ["wealthx-session"] = ("One 14,000-record WealthX session at a 1 s minimum interval against the simulator", WealthXSessionBenchmark.RunAsync),
    ["wealthx-status"] = ("The WealthX status a monitor polls, at 420,000 stored dossiers, against /api/etl/jobs: 50 concurrent clients", WealthXStatusBenchmark.RunAsync),
    ["vestr-aggregates"] = ("Vestr fee summaries, totals and snapshots: full rebuild and one day's refresh over 1,000,000 records, against a naive per-product loop", VestrAggregatesBenchmark.RunAsync),
    ["failover"] = ("Ten kills of the silo running a WealthX session: kill to next committed batch, against the gaps without kills", FailoverBenchmark.RunAsync),
    ["analysis-tasks"] = ("1,000 analysis tasks x 4 sections at 200 ms per analysis on 2 silos: sections per second against the ideal, submit latency", AnalysisTasksBenchmark.RunAsync),
    ["truelayer-import"] = ("A bank import of 50 accounts x 2,000 transactions at 100 ms per call, against its ideal and the seed's sequential loop", TrueLayerImportBenchmark.RunAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Tributary.Bench -- <benchmark> [options]");
    foreach (var (name, (summary, _)) in benchmarks)
    {
        Console.Error.WriteLine($"  {name,-16} {summary}");
    }

    return 2;
}

// The processes measured run with the gen0 budget of a deployment (see Gen0Budget): set before this process started, or
// this process runs the benchmark again in a child that has it.
return await Gen0Budget.RunWithDefaultAsync(args) ?? await benchmark.Run(args[1..]);
