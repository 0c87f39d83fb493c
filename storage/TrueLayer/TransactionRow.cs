namespace Tributary.Storage.TrueLayer;

/// <summary>A transaction as fetched from the provider, keyed for de-duplication.</summary>
/// <param name="DedupKey">The importer's key for "the same transaction" within an account; a settled transaction
/// carries the key of the pending one it settles.</param>
/// <param name="BookedAt">The transaction's <c>timestamp</c>.</param>
/// <param name="RawJson">The provider's JSON object for the transaction, kept as <c>jsonb</c>.</param>
public sealed record TransactionRow(
    string DedupKey,
    string? TransactionId,
    string? NormalisedProviderTransactionId,
    string? ProviderTransactionId,
    DateTimeOffset BookedAt,
    string? Description,
    decimal Amount,
    string Currency,
    string? TransactionType,
    string? TransactionCategory,
    IReadOnlyList<string> Classification,
    string? MerchantName,
    decimal? RunningBalance,
    string? RunningBalanceCurrency,
    bool Pending,
    string RawJson);
