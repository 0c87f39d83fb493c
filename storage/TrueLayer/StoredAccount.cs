namespace Tributary.Storage.TrueLayer;

/// <summary>A stored account or card with what imports measured about it.</summary>
/// <param name="LastSyncedAtIncremental">The end of the last range imported: where the next recurring import starts.</param>
/// <param name="TransactionCount">How many transactions are stored for the account.</param>
public sealed record StoredAccount(
    string AccountId,
    string ConnectionId,
    string Owner,
    string Kind,
    string? AccountType,
    string? Currency,
    string? DisplayName,
    string? ProviderId,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? LastSyncedAtIncremental,
    double? TransactionsPerDay,
    double? AvgCallMs,
    long TransactionCount);
