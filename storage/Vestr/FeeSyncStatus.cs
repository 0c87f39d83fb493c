namespace Tributary.Storage.Vestr;

/// <summary>One fee sync (<c>fee_sync_status</c>).</summary>
/// <param name="Records">Records upserted, after rows with the same id in one call collapsed; <c>Inserted + Updated + Unchanged</c>.</param>
/// <param name="Outcome"><see cref="Running"/>, <see cref="Succeeded"/> or <see cref="Failed"/>.</param>
public sealed record FeeSyncStatus(
    Guid SyncId,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateOnly From,
    DateOnly To,
    bool ForceFull,
    int Records,
    int Inserted,
    int Updated,
    int Unchanged,
    string Outcome,
    string? Error)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
