namespace Tributary.Scheduling.Tests;

/// <summary>What one test cluster's jobs share with its test (several clusters may run at once).</summary>
public sealed class TestJobContext
{
    private TaskCompletionSource _gate = NewGate();

    /// <summary>Holds <see cref="GatedJob"/>'s batch until <see cref="OpenGate"/>: a run that is "still running" on demand.</summary>
    public Task Gate => _gate.Task;

    public void OpenGate() => _gate.TrySetResult();

    public void CloseGate() => _gate = NewGate();

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A job with one item whose batch commits at once.</summary>
public sealed class ReportJob : IJobDefinition
{
    public const string JobName = "test_report";

    public string Name => JobName;
    public string ItemsName => "Reports";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["report"]);

    public Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken) =>
        Task.FromResult(new BatchResult(batch.Items.Count));
}

/// <summary>Like <see cref="ReportJob"/> under another name, for tests that need two schedules.</summary>
public sealed class DigestJob : IJobDefinition
{
    public const string JobName = "test_digest";

    public string Name => JobName;
    public string ItemsName => "Digests";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["digest"]);

    public Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken) =>
        Task.FromResult(new BatchResult(batch.Items.Count));
}

/// <summary>A job whose one batch waits for the test to open the gate.</summary>
public sealed class GatedJob(TestJobContext context) : IJobDefinition
{
    public const string JobName = "test_gated";

    public string Name => JobName;
    public string ItemsName => "Items";
    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 1 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["item"]);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        await context.Gate.WaitAsync(cancellationToken);
        return new BatchResult(batch.Items.Count);
    }
}
