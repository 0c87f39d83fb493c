namespace Tributary.Storage.FinTrack;

/// <summary>What a portfolio transaction does to a holding.</summary>
public enum TransactionType
{
    /// <summary>Adds quantity and cost (quantity * price).</summary>
    Buy,

    /// <summary>Removes quantity at the average cost and realises the difference to the sale price.</summary>
    Sell,

    /// <summary>Cash paid out on the asset; adds to the holding's dividends.</summary>
    Dividend,

    /// <summary>Cash charged on the asset; adds to the holding's fees and reduces its realised P&amp;L.</summary>
    Fee,
}

/// <summary>The wire and database spelling of <see cref="TransactionType"/>: <c>buy</c>, <c>sell</c>, <c>dividend</c>, <c>fee</c>.</summary>
public static class TransactionTypes
{
    /// <summary>The lower-case name stored in <c>fintrack.transactions.type</c>.</summary>
    public static string ToWire(this TransactionType type) => type switch
    {
        TransactionType.Buy => "buy",
        TransactionType.Sell => "sell",
        TransactionType.Dividend => "dividend",
        TransactionType.Fee => "fee",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown transaction type."),
    };

    /// <summary>Parses <c>buy</c>, <c>sell</c>, <c>dividend</c> or <c>fee</c> (any case, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out TransactionType type)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "buy": type = TransactionType.Buy; return true;
            case "sell": type = TransactionType.Sell; return true;
            case "dividend": type = TransactionType.Dividend; return true;
            case "fee": type = TransactionType.Fee; return true;
            default: type = default; return false;
        }
    }
}
