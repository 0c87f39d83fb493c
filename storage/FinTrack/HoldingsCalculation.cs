namespace Tributary.Storage.FinTrack;

/// <summary>
/// The arithmetic of a holdings computation, without a database: one batch's transactions, fed in (asset, account,
/// trade date, transaction id) order, go through one <see cref="Position"/> per account and asset (the average-cost
/// method), and each subclass turns the positions into the rows of its table.
/// </summary>
/// <remarks>
/// Feed every transaction with <see cref="TryAdd"/>, then call <see cref="Complete"/> for the rows. A sale of more than
/// is held is refused: <see cref="TryAdd"/> returns false, <see cref="Refused"/> describes the sale, and the
/// computation is over (the caller writes nothing).
/// </remarks>
/// <typeparam name="TRow">The row type of the table computed.</typeparam>
internal abstract class HoldingsCalculation<TRow>
{
    private readonly List<TRow> _rows = [];
    private Position? _position;

    /// <summary>Transactions applied so far.</summary>
    public int Transactions { get; private set; }

    /// <summary>The sale <see cref="TryAdd"/> refused, or null.</summary>
    public RefusedSale? Refused { get; private set; }

    /// <summary>
    /// Applies the next transaction. <paramref name="unitsOrCash"/> is the quantity of a buy or sell, the amount of a
    /// dividend or fee; <paramref name="price"/> is the price per unit (0 when it has none).
    /// </summary>
    /// <returns>False, when the transaction is a sale of more than is held; see <see cref="Refused"/>.</returns>
    /// <exception cref="InvalidOperationException">A sale was already refused.</exception>
    public bool TryAdd(string accountId, string assetId, TransactionType type, decimal unitsOrCash, decimal price, DateOnly tradeDate)
    {
        if (Refused is not null)
        {
            throw new InvalidOperationException("A refused sale ended this computation; nothing more can be added.");
        }

        if (_position is null || !string.Equals(_position.AccountId, accountId, StringComparison.Ordinal)
            || !string.Equals(_position.AssetId, assetId, StringComparison.Ordinal))
        {
            if (_position is not null)
            {
                OnPositionEnd(_position);
            }

            _position = new Position(accountId, assetId);
        }

        OnTransaction(_position, tradeDate);
        if (!_position.TryApply(type, unitsOrCash, price, unitsOrCash, tradeDate))
        {
            Refused = new RefusedSale(_position.AccountId, _position.AssetId, _position.Transactions, tradeDate, _position.Quantity, unitsOrCash);
            return false;
        }

        Transactions++;
        return true;
    }

    /// <summary>Ends the last position and returns every row computed, in the order of the transactions.</summary>
    public IReadOnlyList<TRow> Complete()
    {
        if (_position is not null)
        {
            OnPositionEnd(_position);
            _position = null;
        }

        return _rows;
    }

    /// <summary>Called with each transaction's position and trade date before the transaction is applied.</summary>
    protected virtual void OnTransaction(Position position, DateOnly tradeDate)
    {
    }

    /// <summary>Called once a position has had its last transaction.</summary>
    protected abstract void OnPositionEnd(Position position);

    protected void Add(TRow row) => _rows.Add(row);

    /// <summary>Market value (quantity * price) and unrealised P&amp;L (market value - cost basis), rounded as stored; both null without a price.</summary>
    protected static (decimal? MarketValue, decimal? UnrealisedPnl) Value(Position position, decimal? price)
    {
        if (price is not { } unitPrice)
        {
            return (null, null);
        }

        var marketValue = position.Quantity * unitPrice;
        return (Numbers.Stored(marketValue), Numbers.Stored(marketValue - position.CostBasis));
    }
}

/// <summary>A sale of more units than the account held: the <paramref name="Ordinal"/>-th (from 0) transaction of its position.</summary>
internal sealed record RefusedSale(string AccountId, string AssetId, int Ordinal, DateOnly TradeDate, decimal Held, decimal Sold);

/// <summary>An asset's currency and latest quote, if it has one.</summary>
internal sealed record AssetQuote(string Currency, decimal? Price, DateTime? AsOf);
