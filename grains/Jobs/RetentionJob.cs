using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tributary.Storage.Retention;

namespace Tributary.Jobs;

/// <summary>
/// The daily clean-up (job <c>prune_retention</c>), a job like any other: scheduled, run, retried and announced by the
/// runtime. Each of its four items is one kind of row; a batch deletes what is older than <see cref="RetentionOptions"/>
/// allows and reports how many rows went, and the completion event adds the counts up.
/// </summary>
public sealed class RetentionJob(RetentionStore store, IOptions<RetentionOptions> options, TimeProvider time) : IJobDefinition
{
    public const string JobName = "prune_retention";
    public const string Runs = "runs";
    public const string Events = "events";
    public const string GrainState = "grain_state";
    public const string Membership = "membership";

    public string Name => JobName;

    public string ItemsName => "Tables";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(5) };

    public bool ReportsCounts => true;

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([Runs, Events, GrainState, Membership]);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var details = new JsonObject();
        foreach (var item in batch.Items)
        {
            switch (item)
            {
                case Runs:
                    var (runs, batches, letters) = await store.PruneRunsAsync(now.AddDays(-settings.RunsDays), cancellationToken);
                    (details["runs"], details["batches"], details["deadLetters"]) = (runs, batches, letters);
                    break;
                case Events:
                    var (events, deliveries) = await store.PruneEventsAsync(now.AddDays(-settings.EventsDays), cancellationToken);
                    (details["events"], details["deliveries"]) = (events, deliveries);
                    break;
                case GrainState:
                    details["grainStates"] = await store.PruneClearedGrainStateAsync(now.AddDays(-settings.ClearedStateDays), cancellationToken);
                    // Keyed job grains (a connection's imports, a task's sections) keep their state after their last run; it goes
                    // with that run, once the runs' retention pruned it.
                    details["jobStates"] = await store.PruneIdleKeyedJobStatesAsync(JobGrain.StateName, $"{JobKey.Prefix}%{JobKey.RunKeySeparator}%",
                        now.AddDays(-settings.RunsDays), cancellationToken);
                    break;
                case Membership:
                    details["silos"] = await store.PruneMembershipAsync(now.AddHours(-settings.DeadSiloHours), cancellationToken);
                    break;
                default:
                    throw new PermanentBatchException($"The retention job knows no table '{item}'.");
            }
        }

        var deleted = details.Sum(d => d.Value!.GetValue<int>());
        return new BatchResult(deleted, Details: details);
    }
}
