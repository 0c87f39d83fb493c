namespace Tributary.Storage.TrueLayer;

/// <summary>An import job (a row of <c>v_import_job_status</c>): its columns and the roll-up of its accounts' progress.</summary>
/// <param name="CompletedAccounts">Accounts that are done: completed or failed.</param>
/// <param name="Percent">Done accounts of all, 0..100 without decimals; 100 for a job without accounts.</param>
public sealed record ImportJobStatus(
    Guid JobId,
    string Owner,
    string ConnectionId,
    string Status,
    DateOnly FromDate,
    DateOnly ToDate,
    IReadOnlyList<string> AccountIds,
    bool AutoEnrich,
    int BatchSize,
    int MaxWorkers,
    bool Incremental,
    int EstimatedAccounts,
    int EstimatedTransactions,
    int EstimatedDurationSeconds,
    decimal EstimatedCost,
    Guid? RunId,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int TotalAccounts,
    int CompletedAccounts,
    int FailedAccounts,
    int SyncingAccounts,
    long Synced,
    long Duplicates,
    long Errors,
    long Settled,
    decimal Percent)
{
    public const string Planned = "planned";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string PartiallyCompleted = "partially_completed";
    public const string Failed = "failed";
}
