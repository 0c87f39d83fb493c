using Tributary.Connectors.TrueLayer;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>TrueLayer's transactions as rows of <c>truelayer_transactions</c>.</summary>
public static class TransactionRows
{
    /// <summary>The storable rows, and how many transactions could not be stored (counted as the account's errors).</summary>
    public static (IReadOnlyList<TransactionRow> Rows, int Invalid) From(IReadOnlyList<TrueLayerTransaction> transactions, bool pending)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var rows = new List<TransactionRow>(transactions.Count);
        var invalid = 0;
        foreach (var t in transactions)
        {
            if (string.IsNullOrWhiteSpace(t.DedupKey) || t.Currency is not { Length: 3 } || t.TransactionType is not ("DEBIT" or "CREDIT"))
            {
                invalid++;
                continue;
            }

            rows.Add(new TransactionRow(t.DedupKey, t.TransactionId, t.NormalisedProviderTransactionId, t.ProviderTransactionId, t.Timestamp,
                t.Description, t.Amount, t.Currency, t.TransactionType, t.TransactionCategory, t.TransactionClassification, t.MerchantName,
                t.RunningBalance, t.RunningBalanceCurrency, pending, t.Raw));
        }

        return (rows, invalid);
    }
}
