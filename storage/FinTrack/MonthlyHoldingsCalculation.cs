namespace Tributary.Storage.FinTrack;

/// <summary>
/// Month-end holdings (<c>fintrack.holdings_monthly</c>): an account and asset get one row for each calendar month in
/// which they have at least one transaction (by trade date), holding the state after every transaction up to and
/// including that month's last day. A month without transactions gets no row.
/// </summary>
/// <remarks>
/// Each snapshot is valued at the month's last close if there is one (<c>history</c>, with its day), else at the
/// latest quote (<c>latest</c>), else not at all. The price is rounded as stored before it values the position.
/// </remarks>
/// <param name="quotes">The currency and latest quote of every asset the transactions are in, by asset id.</param>
/// <param name="closes">The last close on or before each month's last day, by asset and first day of the month.</param>
internal sealed class MonthlyHoldingsCalculation(
    IReadOnlyDictionary<string, AssetQuote> quotes,
    IReadOnlyDictionary<(string AssetId, DateOnly Month), DailyClose> closes) : HoldingsCalculation<MonthlyHoldingRow>
{
    private DateOnly _month;
    private int _monthTransactions;

    protected override void OnTransaction(Position position, DateOnly tradeDate)
    {
        var tradeMonth = new DateOnly(tradeDate.Year, tradeDate.Month, 1);
        if (position.Transactions == 0)
        {
            // The position's first transaction opens its first month.
            _month = tradeMonth;
            _monthTransactions = 0;
        }
        else if (tradeMonth != _month)
        {
            // The month changes: its snapshot is the state before this transaction.
            Snapshot(position);
            _month = tradeMonth;
            _monthTransactions = 0;
        }

        _monthTransactions++;
    }

    protected override void OnPositionEnd(Position position) => Snapshot(position);

    private void Snapshot(Position position)
    {
        var quote = quotes[position.AssetId];
        decimal? price = null;
        DateOnly? priceDate = null;
        string? source = null;
        if (closes.TryGetValue((position.AssetId, _month), out var close))
        {
            (price, priceDate, source) = (Numbers.Stored(close.Close), close.Day, "history");
        }
        else if (quote.Price is { } latest)
        {
            (price, source) = (Numbers.Stored(latest), "latest");
        }

        var (marketValue, unrealisedPnl) = Value(position, price);
        Add(MonthlyHoldingRow.Create(
            position.AccountId,
            position.AssetId,
            _month,
            quote.Currency,
            PositionMeasures.Of(position),
            price,
            priceDate,
            source,
            marketValue,
            unrealisedPnl,
            _monthTransactions));
    }
}
