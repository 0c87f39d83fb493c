using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <inheritdoc cref="IImportJobGrain"/>
/// <remarks>
/// Keeps no grain state: the job's row is its state, and each call reads it. The run is started with an idempotency
/// key of the job, so a start retried after a silo died mid-call joins the run the first attempt began.
/// </remarks>
[GrainType("truelayer-import")]
public sealed partial class ImportJobGrain(
    TrueLayerStore store,
    JobRunStore runs,
    IGrainFactory grains,
    IOptions<TrueLayerImportOptions> options,
    TimeProvider time,
    ILogger<ImportJobGrain> logger) : Grain, IImportJobGrain
{
    private Guid JobId => this.GetPrimaryKey();

    public async Task<ImportPlanResult> Plan(ImportPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await store.GetImportJobAsync(JobId, CancellationToken.None) is { } planned)
        {
            // The same plan request again (its idempotency key names this job): the job as it was planned, not a new one.
            request = new ImportPlanRequest(planned.Owner, true, planned.ConnectionId, Iso(planned.FromDate), Iso(planned.ToDate), planned.AccountIds,
                planned.AutoEnrich, planned.BatchSize, planned.MaxWorkers, planned.Incremental);
            var (again, _) = new ImportPlanner(options.Value).Check(JobId, request, await store.GetConnectionAsync(planned.ConnectionId, CancellationToken.None),
                await store.ListAccountsAsync(planned.ConnectionId, CancellationToken.None), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            return again is null
                ? new ImportPlanResult(null, new Dictionary<string, string[]> { ["connection_id"] = [$"Import {JobId} was planned already and can no longer be checked: its connection changed."] })
                : new ImportPlanResult(again with { Status = planned.Status }, null);
        }

        var connection = request.ConnectionId is { Length: > 0 } id ? await store.GetConnectionAsync(id, CancellationToken.None) : null;
        if (connection is not null && !request.IsAdmin && connection.Owner != request.Owner)
        {
            // Another user's connection is answered exactly like one that does not exist.
            connection = null;
        }

        var accounts = connection is null ? [] : await store.ListAccountsAsync(connection.ConnectionId, CancellationToken.None);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (plan, errors) = new ImportPlanner(options.Value).Check(JobId, request, connection, accounts, today);
        if (plan is null)
        {
            return new ImportPlanResult(null, errors);
        }

        {
            await store.CreateImportJobAsync(new NewImportJob(JobId, connection!.Owner, plan.ConnectionId, plan.FromDate, plan.ToDate,
                [.. plan.Accounts.Select(a => a.AccountId)], plan.AutoEnrich, plan.BatchSize, plan.MaxWorkers, request.Incremental,
                plan.EstimatedAccounts, (int)Math.Min(int.MaxValue, plan.EstimatedTransactions), plan.EstimatedDurationSeconds, plan.EstimatedCost, time.GetUtcNow()),
                CancellationToken.None);
            LogPlanned(logger, JobId, plan.ConnectionId, plan.EstimatedAccounts, plan.EstimatedTransactions);
        }

        return new ImportPlanResult(plan, null);
    }

    public async Task<ImportStartResult> Start(string? ownerFilter)
    {
        var job = await store.GetImportJobAsync(JobId, CancellationToken.None);
        if (job is null || (ownerFilter is not null && job.Owner != ownerFilter))
        {
            return new ImportStartResult(JobId, "unknown", null, $"There is no import job {JobId}.", 404);
        }

        if (job.Status is "completed" or "partially_completed" or "failed")
        {
            return new ImportStartResult(JobId, job.Status, job.RunId,
                $"Import {JobId} already ended ({job.Status}); plan a new one to import again (POST /api/truelayer/import/plan).", 409);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TrueLayerImportJob.ImportJobParameter] = JobId.ToString(),
            [TrueLayerImportJob.MaxWorkersParameter] = job.MaxWorkers.ToString(CultureInfo.InvariantCulture),
        };
        var ticket = await grains.GetGrain<IJobGrain>(JobKey.For(TrueLayerImportJob.JobName, job.ConnectionId))
            .Trigger(new RunRequest(RunTrigger.Manual, Parameters: parameters, IdempotencyKey: $"truelayer-import:{JobId}"));
        if (ticket.NotFound is { } notFound)
        {
            return new ImportStartResult(JobId, job.Status, null, notFound, 503);
        }

        if (!ticket.Started && await runs.GetRunAsync(ticket.RunId, CancellationToken.None) is { } running
            && (!running.Parameters.TryGetValue(TrueLayerImportJob.ImportJobParameter, out var other) || other != JobId.ToString()))
        {
            var otherJob = running.Parameters.GetValueOrDefault(TrueLayerImportJob.ImportJobParameter) ?? "another import";
            return new ImportStartResult(JobId, job.Status, null,
                $"Connection '{job.ConnectionId}' is importing already (import {otherJob}): one import runs per connection at a time. Start this one when that one ends.", 409);
        }

        await store.MarkImportStartedAsync(JobId, ticket.RunId, time.GetUtcNow(), CancellationToken.None);
        var now = await store.GetImportJobAsync(JobId, CancellationToken.None);
        LogStarted(logger, JobId, ticket.RunId, ticket.Started);
        return new ImportStartResult(JobId, now?.Status ?? "running", ticket.RunId);
    }

    public async Task Finished(ImportRunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var job = await store.GetImportJobAsync(JobId, CancellationToken.None);
        if (job is null || job.Status is "completed" or "partially_completed" or "failed")
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var progress in (await store.GetProgressAsync(JobId, CancellationToken.None)).Where(p => p.Status is not ("completed" or "failed")))
        {
            var reason = outcome.FailedAccounts.GetValueOrDefault(progress.AccountId)
                ?? $"The import ended before this account finished ({outcome.Error ?? outcome.RunStatus}).";
            await store.FinishAccountAsync(JobId, progress.AccountId, "failed", reason, now, CancellationToken.None);
        }

        var accounts = await store.GetProgressAsync(JobId, CancellationToken.None);
        var completed = accounts.Count(p => p.Status == "completed");
        var status = completed == accounts.Count ? "completed" : completed == 0 ? "failed" : "partially_completed";
        var failed = accounts.Count - completed;
        var error = failed == 0 ? null : $"{failed} of {accounts.Count} accounts failed; each account's message says why.";
        if (job.AutoEnrich && status != "failed")
        {
            // Before the job's end is written: told again after a crash, the enrichment (keyed by this job) starts once.
            await grains.GetGrain<IEnrichmentGrain>(JobId).Start(new EnrichmentRequest(job.Owner, true, JobId, null, null, null, null));
        }

        await store.FinishImportJobAsync(JobId, status, error, now, CancellationToken.None);
        LogFinished(logger, JobId, status, completed, accounts.Count);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} planned on connection {ConnectionId}: {Accounts} accounts, about {Transactions} transactions")]
    private static partial void LogPlanned(ILogger logger, Guid jobId, string connectionId, int accounts, long transactions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} runs as run {RunId} (new run: {Started})")]
    private static partial void LogStarted(ILogger logger, Guid jobId, Guid runId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} finished {Status}: {Completed} of {Accounts} accounts completed")]
    private static partial void LogFinished(ILogger logger, Guid jobId, string status, int completed, int accounts);
}
