using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tributary.Jobs;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <summary>
/// The daily clean-up of analysis tasks (<c>prune_analysis_tasks</c>, through the schedules like every job): deletes
/// tasks created more than <c>Tasks:RetentionDays</c> ago, with their sections; the run's counts say how many.
/// </summary>
public sealed class AnalysisRetentionJob(AnalysisTaskStore store, IOptions<TaskOptions> options, TimeProvider time) : IJobDefinition
{
    public const string DefaultCron = "40 3 * * *";

    public string Name => AnalysisKeys.RetentionJobName;

    public string ItemsName => "Tables";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(5) };

    public bool ReportsCounts => true;

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["analysis_tasks"]);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteOlderThanAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays), cancellationToken);
        return new BatchResult(deleted, Details: new JsonObject { ["tasks"] = deleted });
    }
}
