using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.Relay;
using Tributary.Storage.Vestr;
using Tributary.Vestr;

namespace Tributary.Sync;

/// <summary>
/// The daily integrated sync as a job of the runtime (<c>integrated_sync</c>): its items are the three steps, one batch
/// each, in order and one at a time. <c>credinvest</c> and <c>vestr_fees</c> run their own jobs (<c>credinvest_relay</c>,
/// <c>vestr_fees</c>) and wait for them; <c>fee_snapshots</c> refreshes every product's snapshot through its
/// <see cref="IProductSnapshotGrain"/>. A skipped step is committed as skipped.
/// </summary>
/// <remarks>
/// <para>
/// No step depends on another: the fee sync does not need the relay's files, and the snapshots are rebuilt from the
/// stored fees, so they are right for what is stored even when the fee sync failed. A step that fails is dead-lettered
/// with its reason and the next step runs; the sync ends <c>partially_succeeded</c> (or <c>failed</c> when every step
/// that ran failed). A step whose domain the cluster does not have (no Credinvest, no Vestr) is committed as
/// <c>not_configured</c> with the settings it needs: a cluster that only relays files does not fail every evening.
/// </para>
/// <para>
/// A step's own run is started with the idempotency key <c>integrated_sync:{run}:{step}</c>: a step re-run after its
/// silo died joins the run it had started instead of starting a second one.
/// </para>
/// </remarks>
public sealed partial class IntegratedSyncJob(
    IGrainFactory grains,
    JobRunStore runs,
    IServiceProvider services,
    ILogger<IntegratedSyncJob> logger) : IJobDefinition
{
    /// <summary>How often a step looks at the run it waits for. Wall-clock time: the wait is for work elsewhere.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public string Name => SyncKeys.SyncJob;

    public string ItemsName => "Steps";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 1, MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(5) };

    public bool ReportsCounts => true;

    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var settings = configured.Clone();
        settings.BatchSize = 1;
        settings.MaxParallelBatches = 1;
        settings.DynamicBatchSizing = false;
        return settings;
    }

    /// <summary>Every step, skipped ones too: the run's history shows what was skipped.</summary>
    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        Task.FromResult(SyncKeys.Steps);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var step = batch.Items.Single();
        if (IsSkipped(batch.Request, step))
        {
            LogStep(logger, batch.RunId, step, "skipped");
            return new BatchResult(0, Details: new JsonObject { ["skipped"] = 1 });
        }

        return step switch
        {
            SyncKeys.StepCredinvest => await RunChildAsync(batch, step, SyncKeys.RelayJob, RelayParameters(batch.Request),
                "The Credinvest relay is not configured: set Credinvest:Host (with its login and Credinvest:HostKeyFingerprint) and Dropbox:AppKey, Dropbox:AppSecret, Dropbox:RefreshToken on every silo.",
                cancellationToken),
            SyncKeys.StepVestrFees => await RunChildAsync(batch, step, VestrKeys.JobName, new Dictionary<string, string>(StringComparer.Ordinal),
                VestrNotConfigured, cancellationToken),
            SyncKeys.StepFeeSnapshots => await RefreshSnapshotsAsync(batch, cancellationToken),
            _ => throw new PermanentBatchException($"'{step}' is not a step of the integrated sync ({string.Join(", ", SyncKeys.Steps)})."),
        };
    }

    private async Task<BatchResult> RunChildAsync(JobBatchContext batch, string step, string job, IReadOnlyDictionary<string, string> parameters,
        string notConfigured, CancellationToken cancellationToken)
    {
        // Resolved here, not injected: the catalog is made of the job definitions, this one included.
        if (!services.GetRequiredService<JobCatalog>().TryGet(job, out _, out _))
        {
            return NotConfigured(batch, step, notConfigured);
        }

        var ticket = await grains.GetGrain<IJobGrain>(JobKey.For(job))
            .Trigger(new RunRequest(RunTrigger.Manual, Parameters: parameters, IdempotencyKey: SyncKeys.StepRunKey(batch.RunId, step)));
        if (ticket.NotFound is { } notFound)
        {
            throw new PermanentBatchException($"{step}: {notFound}");
        }

        LogStepStarted(logger, batch.RunId, step, job, ticket.RunId, ticket.Started);
        var child = await WaitForEndAsync(ticket.RunId, cancellationToken);
        LogStepEnded(logger, batch.RunId, step, child.Status);
        if (child.Status != RunStatus.Succeeded)
        {
            var failed = job == SyncKeys.RelayJob && services.GetService<RelayStore>() is { } relay
                ? await relay.FailedAccountsAsync(child.RunId, cancellationToken)
                : [];
            throw new PermanentBatchException($"{step}: run {child.RunId} of {job} ended {child.Status.ToText()}: {child.Error ?? "no reason given"}"
                + (failed.Count == 0 ? string.Empty : $" Failed: {string.Join(", ", failed)}."));
        }

        return new BatchResult(child.ItemsProcessed, Details: new JsonObject { ["succeeded"] = 1 });
    }

    private const string VestrNotConfigured =
        "Vestr is not configured: set Vestr:KeycloakUrl, Vestr:GraphQlUrl, Vestr:Username, Vestr:Password and Vestr:TotpSecret on every silo.";

    /// <summary>A step whose domain this cluster does not have: committed as such, with the settings it needs, not failed.</summary>
    private BatchResult NotConfigured(JobBatchContext batch, string step, string reason)
    {
        LogStep(logger, batch.RunId, step, "not configured");
        return new BatchResult(0, Details: new JsonObject { ["not_configured"] = 1, ["reason"] = reason });
    }

    private async Task<JobRunRecord> WaitForEndAsync(Guid runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await runs.GetRunAsync(runId, cancellationToken) is { } run && RunStatus.IsFinal(run.Status))
            {
                return run;
            }

            await Task.Delay(PollInterval, TimeProvider.System, cancellationToken);
        }
    }

    private async Task<BatchResult> RefreshSnapshotsAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        if (services.GetService<VestrFeeStore>() is not { } store)
        {
            return NotConfigured(batch, SyncKeys.StepFeeSnapshots, VestrNotConfigured);
        }

        var products = (await store.ProductTotalsAsync(cancellationToken)).Select(p => p.ProductIsin).Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(products, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (isin, _) => await grains.GetGrain<IProductSnapshotGrain>(VestrKeys.Product(isin)).Refresh());
        LogSnapshots(logger, batch.RunId, products.Count);
        return new BatchResult(products.Count, Details: new JsonObject { ["succeeded"] = 1, ["products"] = products.Count });
    }

    private static Dictionary<string, string> RelayParameters(RunRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { SyncKeys.DeleteAfterUpload, SyncKeys.DownloadDir })
        {
            if (request.Parameters?.GetValueOrDefault(key) is { } value)
            {
                parameters[key] = value;
            }
        }

        return parameters;
    }

    private static bool IsSkipped(RunRequest request, string step) =>
        request.Parameters?.GetValueOrDefault(SyncKeys.SkipParameter(step)) is { } text && bool.TryParse(text, out var skip) && skip;

    [LoggerMessage(Level = LogLevel.Information, Message = "Integrated sync {RunId}: step {Step} started run {ChildRunId} of {Job} (new: {Started})")]
    private static partial void LogStepStarted(ILogger logger, Guid runId, string step, string job, Guid childRunId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Integrated sync {RunId}: step {Step} ended {Status}")]
    private static partial void LogStepEnded(ILogger logger, Guid runId, string step, RunStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Integrated sync {RunId}: step fee_snapshots refreshed {Products} products")]
    private static partial void LogSnapshots(ILogger logger, Guid runId, int products);

    [LoggerMessage(Level = LogLevel.Information, Message = "Integrated sync {RunId}: step {Step} {Outcome}")]
    private static partial void LogStep(ILogger logger, Guid runId, string step, string outcome);
}
