using Microsoft.Extensions.Options;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>
/// Categorising a set of imported transactions as a job of the runtime: run key = the enrichment job, one account per
/// batch. A batch pages through the account's transactions and writes their categories; writing is idempotent, so a
/// batch re-run after a crash writes the same values and the run's count (checkpointed with each batch) stays exact.
/// </summary>
public sealed class EnrichmentJobDefinition(EnrichmentStore store, IOptions<EnrichmentOptions> options, TimeProvider time) : IJobDefinition
{
    public const string JobName = "truelayer_enrichment";

    /// <summary>The run parameter naming the enrichment job.</summary>
    public const string EnrichmentJobParameter = "enrichment_job_id";

    public string Name => JobName;

    public string ItemsName => "Accounts";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 2, MaxAttempts = 3 };

    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var settings = configured.Clone();
        settings.BatchSize = 1;
        settings.DynamicBatchSizing = false;
        return settings;
    }

    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = await JobOf(context.Request, cancellationToken);
        await store.MarkRunningAsync(job.JobId, time.GetUtcNow(), cancellationToken);
        return job.AccountIds;
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var job = await JobOf(batch.Request, cancellationToken);
        var categoriser = new TransactionCategoriser(options.Value);
        var categorised = 0;
        foreach (var accountId in batch.Items)
        {
            var after = 0L;
            while (true)
            {
                var page = await store.ReadAsync(job, accountId, after, options.Value.PageSize, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                var categories = page.Select(categoriser.Categorise).OfType<TransactionCategory>().ToList();
                await batch.StoreAsync(async t =>
                {
                    await store.SetCategoriesAsync(categories, time.GetUtcNow(), t);
                    return categories.Count;
                }, cancellationToken);
                categorised += categories.Count;
                after = page[^1].Id;
            }
        }

        return new BatchResult(categorised);
    }

    public async Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Run is not { } run)
        {
            return;
        }

        var job = await JobOf(new RunRequest(run.Trigger, Parameters: run.Parameters), cancellationToken);
        await store.FinishAsync(job.JobId, outcome.Status == RunStatus.Succeeded ? "completed" : "failed", outcome.ItemsProcessed, outcome.Error, time.GetUtcNow(), cancellationToken);
    }

    private async Task<EnrichmentJob> JobOf(RunRequest request, CancellationToken cancellationToken)
    {
        if (request.Parameters is not { } parameters || !parameters.TryGetValue(EnrichmentJobParameter, out var text) || !Guid.TryParse(text, out var jobId))
        {
            throw new PermanentBatchException($"A run of {JobName} needs the parameter {EnrichmentJobParameter}: start enrichment through POST /api/truelayer/enrichment.");
        }

        return await store.GetAsync(jobId, cancellationToken) ?? throw new PermanentBatchException($"There is no enrichment job {jobId}.");
    }
}
