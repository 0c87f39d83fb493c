namespace Tributary.Storage.FinTrack;

/// <summary>
/// The running average-cost state of one account's holding of one asset, fed its transactions in trade-date order
/// (ties by transaction id).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>buy q at p: quantity += q, cost basis += q * p, average cost = cost basis / quantity.</item>
/// <item>sell q at p: refused (the caller throws <see cref="HoldingsDataException"/>) when q exceeds the quantity held; otherwise realised
/// P&amp;L += q * (p - average cost), cost basis -= q * average cost, quantity -= q; the average cost is unchanged.
/// A sale that closes the position sets quantity, cost basis and average cost to exactly 0.</item>
/// <item>dividend: dividends += amount (cash); nothing else changes.</item>
/// <item>fee: fees += amount and realised P&amp;L -= amount: a fee is a realised cost of holding the asset.</item>
/// </list>
/// </remarks>
internal sealed class Position(string accountId, string assetId)
{
    public string AccountId { get; } = accountId;

    public string AssetId { get; } = assetId;

    public decimal Quantity { get; private set; }

    public decimal CostBasis { get; private set; }

    public decimal AverageCost { get; private set; }

    public decimal RealisedPnl { get; private set; }

    public decimal Dividends { get; private set; }

    public decimal Fees { get; private set; }

    public int Transactions { get; private set; }

    public DateOnly LastTradeDate { get; private set; }

    /// <summary>
    /// Applies one transaction. <paramref name="units"/> is the quantity of a buy or sell, <paramref name="cash"/> the
    /// amount of a dividend or fee.
    /// </summary>
    /// <returns>False, changing nothing, when a sale exceeds the quantity held (see <see cref="Quantity"/>).</returns>
    public bool TryApply(TransactionType type, decimal units, decimal price, decimal cash, DateOnly tradeDate)
    {
        switch (type)
        {
            case TransactionType.Buy:
                Quantity += units;
                CostBasis += units * price;
                AverageCost = CostBasis / Quantity;
                break;
            case TransactionType.Sell:
                if (units > Quantity)
                {
                    return false;
                }

                RealisedPnl += units * (price - AverageCost);
                Quantity -= units;
                if (Quantity == 0)
                {
                    CostBasis = 0;
                    AverageCost = 0;
                }
                else
                {
                    CostBasis -= units * AverageCost;
                }

                break;
            case TransactionType.Dividend:
                Dividends += cash;
                break;
            case TransactionType.Fee:
                Fees += cash;
                RealisedPnl -= cash;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown transaction type.");
        }

        Transactions++;
        LastTradeDate = tradeDate;
        return true;
    }
}
