namespace Tributary.Storage.TrueLayer;

/// <summary>What categorisation decided for one transaction.</summary>
/// <param name="Source"><c>rules</c> (a configured rule matched) or <c>bank</c> (TrueLayer's own classification).</param>
public sealed record TransactionCategory(long Id, string Category, string Source);
