namespace Tributary.Storage.TrueLayer;

/// <summary>A planned import: the range, the accounts and the estimates it was planned with.</summary>
public sealed record NewImportJob(
    Guid JobId,
    string Owner,
    string ConnectionId,
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
    DateTimeOffset CreatedAt);
