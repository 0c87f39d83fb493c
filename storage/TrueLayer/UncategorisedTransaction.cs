namespace Tributary.Storage.TrueLayer;

/// <summary>A transaction as categorisation reads it.</summary>
public sealed record UncategorisedTransaction(long Id, string? Description, string? MerchantName, string? TransactionCategory, IReadOnlyList<string> Classification);
