namespace Tributary.Scheduling.Tests;

/// <summary>The scheduling tests' jobs and the cluster they run on.</summary>
/// <remarks>
/// The heartbeat defaults to half an hour of real time, so the tests' own <c>Tick</c> calls are the only
/// ticks and outcomes are exact; the reminder test asks for one second.
/// </remarks>
public static class ScheduleTestJobs
{
    /// <summary>Where the fake clock starts: 1 May 2026, 05:00 in Zurich (summer time).</summary>
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 3, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The test jobs on every silo with their <see cref="TestJobContext"/>, a fake clock at <see cref="Start"/> and the
    /// scheduler's heartbeat. Settings given after this override these.
    /// </summary>
    public static TributaryTestClusterOptions WithScheduleJobs(this TributaryTestClusterOptions options, TimeSpan? heartbeat = null)
    {
        var period = heartbeat ?? TimeSpan.FromMinutes(30);
        return options
            .WithFakeTime(Start)
            .Share(new TestJobContext())
            .WithSetting("Silo:MinimumReminderPeriod", "00:00:01")
            .WithSetting("JobRuntime:WatchdogPeriod", "00:00:01")
            .WithSetting("Scheduling:HeartbeatPeriod", period.ToString("c"))
            .WithSetting("Scheduling:MisfireGrace", (period > TimeSpan.FromMinutes(2) ? period : TimeSpan.FromMinutes(2)).ToString("c"))
            .ConfigureServices(services =>
            {
                services.AddJob<ReportJob>();
                services.AddJob<DigestJob>();
                services.AddJob<GatedJob>();
            });
    }

    /// <summary>What this cluster's jobs share with the test.</summary>
    public static TestJobContext Jobs(this TributaryTestCluster cluster) => cluster.Shared<TestJobContext>();
}

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
