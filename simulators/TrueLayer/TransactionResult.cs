namespace Tributary.Simulators.TrueLayer;

/// <summary>One settled or pending transaction, with the fields of TrueLayer's Data API v1.</summary>
/// <param name="TransactionId">Unique; changes when a pending transaction settles.</param>
/// <param name="NormalisedProviderTransactionId">Kept when a pending transaction settles; absent on some transactions.</param>
/// <param name="ProviderTransactionId">The bank's own id, kept on settling; absent on a few transactions.</param>
/// <param name="Amount">Negative for a DEBIT; read <paramref name="TransactionType"/> rather than the sign.</param>
/// <param name="TransactionType"><c>DEBIT</c> or <c>CREDIT</c>.</param>
/// <param name="TransactionClassification">[primary, sub], or empty.</param>
/// <param name="MerchantName">Absent where the bank names none.</param>
/// <param name="RunningBalance">The balance after this transaction; absent on pending transactions.</param>
public sealed record TransactionResult(
    string TransactionId,
    string? NormalisedProviderTransactionId,
    string? ProviderTransactionId,
    DateTimeOffset Timestamp,
    string Description,
    decimal Amount,
    string Currency,
    string TransactionType,
    string TransactionCategory,
    IReadOnlyList<string> TransactionClassification,
    string? MerchantName,
    RunningBalance? RunningBalance,
    TransactionMeta Meta);

/// <summary>A balance after a transaction.</summary>
public sealed record RunningBalance(decimal Amount, string Currency);

/// <summary>The bank's own view of a transaction.</summary>
/// <param name="ProviderCategory">The bank's category code, such as <c>POS</c>, <c>DD</c>, <c>BGC</c>.</param>
/// <param name="ProviderReference">A reference the bank shows; absent on most.</param>
public sealed record TransactionMeta(string ProviderCategory, string? ProviderReference);
