using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tributary.Jobs.Tests;

/// <summary>Shared knobs of the test jobs (the cluster runs in this process).</summary>
public static class TestJobs
{
    /// <summary>Items whose batch throws a transient error while listed here.</summary>
    public static ConcurrentDictionary<string, byte> Failing { get; } = new();

    /// <summary>Items whose batch throws a permanent (bad data) error.</summary>
    public static ConcurrentDictionary<string, byte> BadData { get; } = new();

    public static async Task CreateTablesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE test_job_items (item text PRIMARY KEY, writes integer NOT NULL, last_run uuid NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    public static IReadOnlyList<string> Items(int count) =>
        Enumerable.Range(1, count).Select(i => $"item-{i:D3}").ToList();
}

/// <summary>
/// Upserts its items into <c>test_job_items</c>, counting writes per item, so a test sees whether a batch
/// committed once, twice or never. Items: <c>count</c> parameter (default 20).
/// </summary>
public sealed class CountingJob(NpgsqlDataSource dataSource) : IJobDefinition
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
        if (batch.Items.FirstOrDefault(TestJobs.BadData.ContainsKey) is { } bad)
        {
            throw new PermanentBatchException($"Item {bad} is bad data.");
        }

        if (batch.Items.FirstOrDefault(TestJobs.Failing.ContainsKey) is { } failing)
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
public sealed class GatedJob(ILocalSiloDetails silo) : IJobDefinition
{
    public static ConcurrentDictionary<string, byte> DeadSilos { get; } = new();

    public static ConcurrentQueue<string> CompletedOn { get; } = new();

    private static TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Open() => _gate.TrySetResult();

    public string Name => "test_gated";
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 10, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(3));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        var here = silo.SiloAddress.ToString();
        if (DeadSilos.ContainsKey(here))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        CompletedOn.Enqueue(here);
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
/// reports the end of the data at <see cref="EndAt"/>, and records how its runs ended.
/// </summary>
public sealed class CursorJob(NpgsqlDataSource dataSource) : IJobDefinition
{
    /// <summary>The item whose batch reports the end of the data.</summary>
    public static string? EndAt { get; set; }

    public static ConcurrentQueue<JobRunOutcome> Outcomes { get; } = new();

    public string Name => "test_cursor";
    public string ItemsName => "Pages";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10), StopOnDeadLetter = true };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(10));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var item = batch.Items.Single();
        if (TestJobs.BadData.ContainsKey(item))
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
        return new BatchResult(1, EndOfData: item == EndAt, Details: new System.Text.Json.Nodes.JsonObject { ["item"] = item });
    }

    public Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        Outcomes.Enqueue(outcome);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Six one-item batches, one at a time; from batch <see cref="HoldFrom"/> on each waits for the gate: a run caught
/// halfway, so a test can read its progress while it runs.
/// </summary>
public sealed class SteppedJob : IJobDefinition
{
    private static TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int HoldFrom { get; set; } = int.MaxValue;

    public static void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Open() => _gate.TrySetResult();

    public string Name => "test_stepped";
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TestJobs.Items(6));

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        if (batch.BatchIndex >= HoldFrom)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return new BatchResult(batch.Items.Count);
    }
}
