namespace Tributary.Storage.FinTrack;

/// <summary>
/// Daily holdings (<c>fintrack.holdings</c>): one row per account and asset with at least one transaction, holding
/// the state after all of them, valued at the asset's latest quote (without a quote, price, market value, unrealised
/// P&amp;L and as-of are null). A position sold down to zero keeps its row.
/// </summary>
/// <param name="quotes">The currency and latest quote of every asset the transactions are in, by asset id.</param>
internal sealed class DailyHoldingsCalculation(IReadOnlyDictionary<string, AssetQuote> quotes) : HoldingsCalculation<DailyHoldingRow>
{
    protected override void OnPositionEnd(Position position)
    {
        var quote = quotes[position.AssetId];
        var (marketValue, unrealisedPnl) = Value(position, quote.Price);
        Add(DailyHoldingRow.Create(
            position.AccountId,
            position.AssetId,
            quote.Currency,
            PositionMeasures.Of(position),
            quote.Price is { } price ? Numbers.Stored(price) : null,
            marketValue,
            unrealisedPnl,
            quote.AsOf,
            position.LastTradeDate,
            position.Transactions));
    }
}
