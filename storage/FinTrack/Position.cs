namespace Tributary.Storage.FinTrack;

/// <summary>
/// The running average-cost state of one account's holding of one asset, fed its transactions in trade-date order
/// (ties by transaction id).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>buy q at p: quantity += q, cost basis += q * p, average cost = cost basis / quantity.</item>
/// <item>sell q at p: refused with <see cref="HoldingsDataException"/> when q exceeds the quantity held; otherwise realised
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

    public void Apply(TransactionType type, decimal quantity, decimal price, decimal amount, DateOnly tradeDate, string transactionId)
    {
        switch (type)
        {
            case TransactionType.Buy:
                Quantity += quantity;
                CostBasis += quantity * price;
                AverageCost = CostBasis / Quantity;
                break;
            case TransactionType.Sell:
                if (quantity > Quantity)
                {
                    throw new HoldingsDataException(AccountId, AssetId, transactionId, tradeDate, Quantity, quantity);
                }

                RealisedPnl += quantity * (price - AverageCost);
                Quantity -= quantity;
                if (Quantity == 0)
                {
                    CostBasis = 0;
                    AverageCost = 0;
                }
                else
                {
                    CostBasis -= quantity * AverageCost;
                }

                break;
            case TransactionType.Dividend:
                Dividends += amount;
                break;
            case TransactionType.Fee:
                Fees += amount;
                RealisedPnl -= amount;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown transaction type.");
        }

        Transactions++;
        LastTradeDate = tradeDate;
    }
}
