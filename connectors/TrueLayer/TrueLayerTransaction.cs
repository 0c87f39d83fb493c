namespace Tributary.Connectors.TrueLayer;

/// <summary>One booked or pending transaction of an account or card, as the Data API sent it.</summary>
/// <param name="TransactionId">TrueLayer's id; it can change when a pending transaction settles, so do not key on it (<see cref="DedupKey"/>).</param>
/// <param name="NormalisedProviderTransactionId">TrueLayer's stable id across pending and settled, when the bank allows one.</param>
/// <param name="ProviderTransactionId">The bank's own id, when sent.</param>
/// <param name="Timestamp">When it happened (RFC 3339).</param>
/// <param name="Description">The bank's text; empty when none was sent.</param>
/// <param name="Amount">As sent (invariant decimal); use <see cref="TransactionType"/>, not the sign, for the direction.</param>
/// <param name="Currency">ISO 4217.</param>
/// <param name="TransactionType"><c>DEBIT</c> or <c>CREDIT</c>, as sent.</param>
/// <param name="TransactionCategory">Such as <c>PURCHASE</c>, <c>DIRECT_DEBIT</c>, when sent.</param>
/// <param name="TransactionClassification">TrueLayer's <c>[primary, sub]</c> classification; empty when none.</param>
/// <param name="MerchantName">When sent.</param>
/// <param name="RunningBalance">The balance after it, when the bank sends one.</param>
/// <param name="RunningBalanceCurrency">The currency of <see cref="RunningBalance"/>.</param>
/// <param name="Raw">The transaction's JSON object exactly as received, for storing as <c>jsonb</c>.</param>
public sealed record TrueLayerTransaction(
    string TransactionId,
    string? NormalisedProviderTransactionId,
    string? ProviderTransactionId,
    DateTimeOffset Timestamp,
    string Description,
    decimal Amount,
    string Currency,
    string TransactionType,
    string? TransactionCategory,
    IReadOnlyList<string> TransactionClassification,
    string? MerchantName,
    decimal? RunningBalance,
    string? RunningBalanceCurrency,
    string Raw)
{
    /// <summary>
    /// The key a transaction is stored under (PROTOCOLS.md): <see cref="NormalisedProviderTransactionId"/>, else
    /// <see cref="ProviderTransactionId"/>, else <see cref="TransactionId"/>; a blank id counts as absent.
    /// </summary>
    /// <remarks><c>transaction_id</c> can change between pending and settled; the provider ids are what stays.</remarks>
    public string DedupKey =>
        !string.IsNullOrWhiteSpace(NormalisedProviderTransactionId) ? NormalisedProviderTransactionId
        : !string.IsNullOrWhiteSpace(ProviderTransactionId) ? ProviderTransactionId
        : TransactionId;
}
