using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tributary.Connectors.MarketData;

namespace Tributary.Jobs.Tests;

/// <summary>The test jobs of this project and the cluster they run on.</summary>
public static class TestJobs
{
    /// <summary>Where a fake clock starts: 1 March 2026, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The test jobs on every silo, their knobs shared with the test (<see cref="Knobs"/>), their table in the
    /// cluster's database, and second-scale watchdog and reminder periods. Settings given after this override these.
    /// </summary>
    public static TributaryTestClusterOptions WithTestJobs(this TributaryTestClusterOptions options) => options
        .Share(new TestJobKnobs())
        .PrepareDatabase(CreateTablesAsync)
        .WithSetting("Silo:MinimumReminderPeriod", "00:00:01")
        .WithSetting("JobRuntime:WatchdogPeriod", "00:00:01")
        .WithSetting("Jobs:test_counting:RetryBaseDelay", "00:00:00.010")
        .WithSetting("Jobs:test_counting:MaxAttempts", "2")
        .ConfigureSilo(silo =>
        {
            silo.Services.AddJob<CountingJob>();
            silo.Services.AddJob<GatedJob>();
            silo.Services.AddJob<CursorJob>();
            silo.Services.AddJob<SteppedJob>();
            if (!string.IsNullOrEmpty(silo.Configuration["MarketData:BaseUrl"]))
            {
                silo.Services.AddMarketDataClient(silo.Configuration);
                silo.Services.AddJob<QuoteJob>();
            }
        });

    /// <summary>The knobs of the test jobs on this cluster's silos.</summary>
    public static TestJobKnobs Knobs(this TributaryTestCluster cluster) => cluster.Shared<TestJobKnobs>();

    public static async Task CreateTablesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE test_job_items (item text PRIMARY KEY, writes integer NOT NULL, last_run uuid NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    public static IReadOnlyList<string> Items(int count) =>
        Enumerable.Range(1, count).Select(i => $"item-{i:D3}").ToList();
}

/// <summary>What one cluster's test jobs share with its test: the knobs it turns and what the jobs saw.</summary>
public sealed class TestJobKnobs
{
    /// <summary>Items whose batch throws a transient error while listed here.</summary>
    public ConcurrentDictionary<string, byte> Failing { get; } = new();

    /// <summary>Items whose batch throws a permanent (bad data) error.</summary>
    public ConcurrentDictionary<string, byte> BadData { get; } = new();

    /// <summary><see cref="GatedJob"/>'s gate, closed until the test opens it, and the silos it ran on.</summary>
    public GatedJobKnobs Gated { get; } = new();

    /// <summary>Where <see cref="CursorJob"/> ends and how its runs ended.</summary>
    public CursorJobKnobs Cursor { get; } = new();

    /// <summary>Where <see cref="SteppedJob"/> stops until the test opens its gate.</summary>
    public SteppedJobKnobs Stepped { get; } = new();
}

public sealed class GatedJobKnobs
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Silos the test declared dead: a batch there never returns.</summary>
    public ConcurrentDictionary<string, byte> DeadSilos { get; } = new();

    /// <summary>The silos whose batches completed, in order.</summary>
    public ConcurrentQueue<string> CompletedOn { get; } = new();

    public Task Gate => _gate.Task;

    public void Open() => _gate.TrySetResult();
}

public sealed class CursorJobKnobs
{
    /// <summary>The item whose batch reports the end of the data.</summary>
    public string? EndAt { get; set; }

    public ConcurrentQueue<JobRunOutcome> Outcomes { get; } = new();
}

public sealed class SteppedJobKnobs
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first batch that waits for the gate.</summary>
    public int HoldFrom { get; set; } = int.MaxValue;

    public Task Gate => _gate.Task;

    public void Open() => _gate.TrySetResult();
}

/// <summary>
/// Upserts its items into <c>test_job_items</c>, counting writes per item, so a test sees whether a batch
/// committed once, twice or never. Items: <c>count</c> parameter (default 20).
/// </summary>
public sealed class CountingJob(NpgsqlDataSource dataSource, TestJobKnobs knobs) : IJobDefinition
{
    public string Name => "test_counting";
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 4, MaxParallelBatches = 2, MaxAttempts = 3 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        var count = int.Parse(context.Request.Parameters?.GetValueOrDefault("count") ?? "20", CultureInfo.InvariantCulture);
        return Task.FromResult(TestJobs.Items(count));
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        if (batch.Items.FirstOrDefault(knobs.BadData.ContainsKey) is { } bad)
        {
            throw new PermanentBatchException($"Item {bad} is bad data.");
        }

        if (batch.Items.FirstOrDefault(knobs.Failing.ContainsKey) is { } failing)
        {
            throw new InvalidOperationException($"Upstream refused item {failing} (attempt {batch.Attempt}).");
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO test_job_items (item, writes, last_run) SELECT unnest(@items), 1, @run
            ON CONFLICT (item) DO UPDATE SET writes = test_job_items.writes + 1, last_run = excluded.last_run
            """);
        command.Parameters.AddWithValue("items", batch.Items.ToArray());
        command.Parameters.AddWithValue("run", batch.RunId);
        return new BatchResult(await command.ExecuteNonQueryAsync(cancellationToken));
    }
}

/// <summary>
/// Its one batch waits for the test to open the gate: a run that is "still running" on demand. On a silo
/// the test declared dead it never returns, like a process that is gone (in-process silos keep their threads).
/// </summary>
public sealed class GatedJob(ILocalSiloDetails silo, TestJobKnobs knobs) : IJobDefinition
{
    public string Name => "test_gated";
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 10, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(3));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        await knobs.Gated.Gate.WaitAsync(cancellationToken);
        var here = silo.SiloAddress.ToString();
        if (knobs.Gated.DeadSilos.ContainsKey(here))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        knobs.Gated.CompletedOn.Enqueue(here);
        return new BatchResult(batch.Items.Count);
    }
}

/// <summary>Fetches quotes for its items through the real market-data connector: a job that calls an upstream.</summary>
public sealed class QuoteJob(IServiceProvider services) : IJobDefinition
{
    public string Name => "test_quotes";
    public string ItemsName => "Symbols";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 3, MaxAttempts = 3, Upstream = "marketdata" };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Enumerable.Range(0, 12).Select(i => $"Q{context.RunId.ToString("N")[..4].ToUpperInvariant()}{i:D2}").ToList());

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var quotes = await services.GetRequiredService<Connectors.MarketData.MarketDataClient>().GetQuotesAsync(batch.Items, cancellationToken);
        return new BatchResult(quotes.Found.Count);
    }
}

/// <summary>
/// A cursor job: one item per batch, in order, that must not skip an item. Upserts like <see cref="CountingJob"/>,
/// reports the end of the data at <see cref="CursorJobKnobs.EndAt"/>, and records how its runs ended.
/// </summary>
public sealed class CursorJob(NpgsqlDataSource dataSource, TestJobKnobs knobs) : IJobDefinition
{
    public string Name => "test_cursor";
    public string ItemsName => "Pages";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10), StopOnDeadLetter = true };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(10));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var item = batch.Items.Single();
        if (knobs.BadData.ContainsKey(item))
        {
            throw new PermanentBatchException($"Item {item} is bad data.");
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO test_job_items (item, writes, last_run) VALUES (@item, 1, @run)
            ON CONFLICT (item) DO UPDATE SET writes = test_job_items.writes + 1, last_run = excluded.last_run
            """);
        command.Parameters.AddWithValue("item", item);
        command.Parameters.AddWithValue("run", batch.RunId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new BatchResult(1, EndOfData: item == knobs.Cursor.EndAt, Details: new System.Text.Json.Nodes.JsonObject { ["item"] = item });
    }

    public Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        knobs.Cursor.Outcomes.Enqueue(outcome);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Six one-item batches, one at a time; from batch <see cref="SteppedJobKnobs.HoldFrom"/> on each waits for the gate: a run caught
/// halfway, so a test can read its progress while it runs.
/// </summary>
public sealed class SteppedJob(TestJobKnobs knobs) : IJobDefinition
{
    public string Name => "test_stepped";
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(6));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        if (batch.BatchIndex >= knobs.Stepped.HoldFrom)
        {
            await knobs.Stepped.Gate.WaitAsync(cancellationToken);
        }

        return new BatchResult(batch.Items.Count);
    }
}
