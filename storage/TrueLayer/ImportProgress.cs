namespace Tributary.Storage.TrueLayer;

/// <summary>One account's progress in an import job.</summary>
/// <param name="NextFrom">The window cursor: the first day the account's next window imports.</param>
public sealed record ImportProgress(
    Guid JobId,
    string AccountId,
    string Status,
    int Synced,
    int Duplicates,
    int Errors,
    int Settled,
    int WindowsTotal,
    int WindowsDone,
    DateOnly? NextFrom,
    string? Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Pending = "pending";
    public const string Syncing = "syncing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
