using Orleans.Concurrency;

namespace Tributary.TrueLayer;

/// <summary>
/// One import job (key: its job id), the single writer of its row in <c>truelayer_import_jobs</c>: its plan, its start
/// as a run of the job runtime (<c>truelayer_import</c>, run key = the connection, so one import at a time per
/// connection and imports of different connections at once), and its end.
/// </summary>
[Alias("Tributary.TrueLayer.IImportJobGrain")]
public interface IImportJobGrain : IGrainWithGuidKey
{
    /// <summary>Validates the request, estimates it from what past imports measured, and stores the job as <c>planned</c>.</summary>
    [Alias("Plan")]
    Task<ImportPlanResult> Plan(ImportPlanRequest request);

    /// <summary>Starts the planned job's run and returns at once; starting a running job again answers the same run.</summary>
    /// <param name="ownerFilter">The caller's user, or null for an admin: another user's job is not found.</param>
    [Alias("Start")]
    Task<ImportStartResult> Start(string? ownerFilter);

    /// <summary>The run ended (told by the job definition; idempotent): final status, failed accounts, enrichment.</summary>
    /// <remarks>
    /// Interleaves: a retried <see cref="Start"/> whose run had ended is told so inside its own call to the job, and would
    /// otherwise wait on itself until the call timed out. It works on stored rows only, with conditional writes.
    /// </remarks>
    [Alias("Finished"), AlwaysInterleave]
    Task Finished(ImportRunOutcome outcome);
}

/// <summary>A plan request as the caller sent it; text fields are parsed and checked by the grain, so every error names its field.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ImportPlanRequest")]
public sealed record ImportPlanRequest(
    [property: Id(0)] string Owner,
    [property: Id(1)] bool IsAdmin,
    [property: Id(2)] string? ConnectionId,
    [property: Id(3)] string? FromDate,
    [property: Id(4)] string? ToDate,
    [property: Id(5)] IReadOnlyList<string>? AccountIds,
    [property: Id(6)] bool AutoEnrich,
    [property: Id(7)] int? BatchSize,
    [property: Id(8)] int? MaxWorkers,
    [property: Id(9)] bool Incremental = false);

/// <summary>The stored plan, or the fields that were wrong (nothing stored), or the connection was not found.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ImportPlanResult")]
public sealed record ImportPlanResult(
    [property: Id(0)] ImportPlan? Plan,
    [property: Id(1)] IReadOnlyDictionary<string, string[]>? Errors,
    [property: Id(2)] string? NotFound = null);

/// <summary>What a plan expects.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ImportPlan")]
public sealed record ImportPlan(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] DateOnly FromDate,
    [property: Id(3)] DateOnly ToDate,
    [property: Id(4)] int EstimatedAccounts,
    [property: Id(5)] long EstimatedTransactions,
    [property: Id(6)] int EstimatedDurationSeconds,
    [property: Id(7)] decimal EstimatedCost,
    [property: Id(8)] IReadOnlyList<PlannedAccount> Accounts,
    [property: Id(9)] bool AutoEnrich,
    [property: Id(10)] int BatchSize,
    [property: Id(11)] int MaxWorkers)
{
    /// <summary>The job's status: <c>planned</c>, or where it got to when a retried plan request finds it again.</summary>
    [Id(12)]
    public string Status { get; init; } = "planned";
}

/// <summary>One account of a plan and what it is expected to bring.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.PlannedAccount")]
public sealed record PlannedAccount(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? AccountType,
    [property: Id(4)] string? Currency,
    [property: Id(5)] long EstimatedTransactions,
    [property: Id(6)] DateTimeOffset? LastSyncedAt);

/// <summary>How a start went.</summary>
/// <param name="Status">The job's status after the call (<c>running</c>, or the final one when it had already ended).</param>
/// <param name="Problem">Why it did not start (not found: 404; another import of the connection runs: 409); null when it runs.</param>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ImportStartResult")]
public sealed record ImportStartResult(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string Status,
    [property: Id(2)] Guid? RunId,
    [property: Id(3)] string? Problem = null,
    [property: Id(4)] int HttpStatus = 202);

/// <summary>How the job's run ended.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ImportRunOutcome")]
public sealed record ImportRunOutcome(
    [property: Id(0)] Guid RunId,
    [property: Id(1)] string RunStatus,
    [property: Id(2)] string? Error,
    [property: Id(3)] IReadOnlyDictionary<string, string> FailedAccounts);
