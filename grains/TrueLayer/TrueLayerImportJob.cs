using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tributary.Connectors.TrueLayer;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>
/// An import job as a job of the runtime: its items are the job's accounts, one per batch, run <c>max_workers</c> at a
/// time (<see cref="SettingsFor"/>), retried and dead-lettered by the runtime like any batch. The run key is the
/// connection, so one import runs per connection while other connections' imports run beside it.
/// </summary>
/// <remarks>
/// A batch drives its <see cref="IAccountGrain"/> step by step, taking a slot of the connection's cluster-wide rate
/// limiter before each step (one call to TrueLayer each) and waiting out TrueLayer's Retry-After there, beside the
/// grain: a 429 pauses the connection's limiter for every silo and costs the account a wait, not an attempt.
/// </remarks>
public sealed class TrueLayerImportJob(TrueLayerStore store, JobRunStore runs, IGrainFactory grains, IOptions<TrueLayerImportOptions> options, TimeProvider time) : IJobDefinition
{
    public const string JobName = TrueLayerNames.ImportJob;

    /// <summary>The run parameter naming the import job.</summary>
    public const string ImportJobParameter = "import_job_id";

    /// <summary>The run parameter carrying the job's <c>max_workers</c>.</summary>
    public const string MaxWorkersParameter = "max_workers";

    /// <summary>The upstream name of TrueLayer's rate limiters (<c>RateLimits:truelayer:*</c>), one per connection.</summary>
    public const string Upstream = TrueLayerAuthClient.Upstream;

    /// <summary>The cluster-wide rate limiter of one connection: every call made with its tokens waits for it.</summary>
    public static IRateLimiterGrain LimiterOf(IGrainFactory grains, string connectionId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For(Upstream, connectionId));
    }

    /// <summary>429s in a row one batch waits out before it counts as a failed attempt.</summary>
    public const int MaxThrottlesInARow = 30;

    public string Name => JobName;

    public string ItemsName => "Accounts";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 4, MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(1) };

    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var settings = configured.Clone();
        // One account per batch: an account is the unit that fails, retries and reports on its own.
        settings.BatchSize = 1;
        settings.DynamicBatchSizing = false;
        if (request?.Parameters is { } parameters && parameters.TryGetValue(MaxWorkersParameter, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var workers) && workers >= 1)
        {
            settings.MaxParallelBatches = workers;
        }

        return settings;
    }

    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ImportJobIdOf(context.Request) is null && context.RunKey is { } connectionId)
        {
            // A connection's schedule: an incremental import of all its accounts from where each one's last import
            // reached, planned as an import job whose id is the run's, so its batches find it without a parameter.
            return await PlanRecurringAsync(context.RunId, connectionId);
        }

        var job = await JobOf(context.Request, context.RunId, cancellationToken);
        return job.AccountIds;
    }

    private async Task<IReadOnlyList<string>> PlanRecurringAsync(Guid runId, string connectionId)
    {
        var connection = await store.GetConnectionAsync(connectionId, CancellationToken.None)
            ?? throw new PermanentBatchException($"There is no connection '{connectionId}' to import from.");
        var result = await grains.GetGrain<IImportJobGrain>(runId).Plan(
            new ImportPlanRequest(connection.Owner, IsAdmin: false, connectionId, null, null, null, AutoEnrich: false, null, null, Incremental: true));
        if (result.Plan is not { } plan)
        {
            throw new InvalidOperationException(
                $"The recurring import of connection '{connectionId}' cannot be planned: {string.Join(" ", (result.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value))}");
        }

        await store.MarkImportStartedAsync(runId, runId, time.GetUtcNow(), CancellationToken.None);
        return [.. plan.Accounts.Select(a => a.AccountId)];
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var job = await JobOf(batch.Request, batch.RunId, cancellationToken);
        var accounts = (await store.ListAccountsAsync(job.ConnectionId, cancellationToken)).ToDictionary(a => a.AccountId, StringComparer.Ordinal);
        var limiter = LimiterOf(grains, job.ConnectionId);
        var settings = options.Value;
        var processed = 0;
        var details = new JsonObject();
        foreach (var accountId in batch.Items)
        {
            if (!accounts.TryGetValue(accountId, out var account))
            {
                throw new PermanentBatchException($"Account '{accountId}' is no longer an account of connection '{job.ConnectionId}'.");
            }

            var (from, to) = ImportPlanner.AccountRange(account, job.FromDate, job.ToDate, job.Incremental);
            var request = new AccountStepRequest(job.JobId, job.ConnectionId, account.Kind, from, to, job.BatchSize, settings.WindowDays);
            var grain = grains.GetGrain<IAccountGrain>(accountId);
            var throttles = 0;
            AccountStep step;
            while (true)
            {
                await limiter.WaitForSlotAsync(time, cancellationToken);
                step = await grain.Step(request);
                if (step.Outcome == AccountStepOutcome.Done)
                {
                    break;
                }

                if (step.Outcome == AccountStepOutcome.Throttled)
                {
                    // Everyone calling with this connection waits with us: the pause is the limiter's, cluster-wide.
                    await limiter.PauseUntil(time.GetUtcNow() + (step.RetryAfter ?? TimeSpan.FromSeconds(1)));
                    if (++throttles > MaxThrottlesInARow)
                    {
                        throw new ImportStepException(step);
                    }

                    continue;
                }

                throttles = 0;
                if (step.Outcome == AccountStepOutcome.Failed)
                {
                    throw step.Transient ? new ImportStepException(step) : new PermanentBatchException(step.Error ?? "The account's import failed.");
                }
            }

            processed += step.Synced + step.Duplicates;
            details[accountId] = new JsonObject { ["synced"] = step.Synced, ["duplicates"] = step.Duplicates, ["errors"] = step.Errors };
        }

        return new BatchResult(processed, Details: details);
    }

    public async Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Run is not { } run)
        {
            return;
        }

        var jobId = ImportJobIdOf(new RunRequest(run.Trigger, Parameters: run.Parameters)) ?? run.RunId;

        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var letter in (await runs.GetBatchesAsync(outcome.RunId, cancellationToken)).Where(b => b.Status == JobBatchRecord.DeadLettered))
        {
            foreach (var item in run.Items.Skip(letter.ItemOffset).Take(letter.ItemCount))
            {
                failed[item] = ReasonOf(letter.Error);
            }
        }

        await grains.GetGrain<IImportJobGrain>(jobId).Finished(new ImportRunOutcome(outcome.RunId, outcome.Status.ToText(), outcome.Error, failed));
    }

    /// <summary>The import job a run serves: its parameter, or for a scheduled run the run's own id.</summary>
    private async Task<ImportJobStatus> JobOf(RunRequest request, Guid runId, CancellationToken cancellationToken)
    {
        var jobId = ImportJobIdOf(request) ?? runId;
        return await store.GetImportJobAsync(jobId, cancellationToken)
            ?? throw new PermanentBatchException($"There is no import job {jobId}: start imports through POST /api/truelayer/import/start or a connection's schedule.");
    }

    private static Guid? ImportJobIdOf(RunRequest request) =>
        request.Parameters is { } parameters && parameters.TryGetValue(ImportJobParameter, out var text) && Guid.TryParse(text, out var jobId) ? jobId : null;

    /// <summary>The dead letter's reason without the exception type the runtime puts first.</summary>
    private static string ReasonOf(string? error) =>
        error is null ? "The account's import failed." : error.IndexOf(": ", StringComparison.Ordinal) is var at and > 0 && !error[..at].Contains(' ', StringComparison.Ordinal) ? error[(at + 2)..] : error;
}
