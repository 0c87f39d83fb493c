using Tributary.Storage.FinTrack;

namespace Tributary.Api.Endpoints;

/// <summary>One account's current holding of one asset, every amount in the asset's currency.</summary>
/// <param name="Quantity">Units held (0 once sold out).</param>
/// <param name="AverageCost">Cost basis / quantity; unchanged by sales; 0 when nothing is held.</param>
/// <param name="CostBasis">Cost of the units still held, at average cost.</param>
/// <param name="RealisedPnl">Sum over sales of quantity * (price - average cost), minus fees.</param>
/// <param name="Dividends">Dividend cash received.</param>
/// <param name="Fees">Fee cash paid (already deducted from <paramref name="RealisedPnl"/>).</param>
/// <param name="Price">The latest quote, or null when the asset has none.</param>
/// <param name="MarketValue">Quantity * price, or null without a quote.</param>
/// <param name="UnrealisedPnl">Market value - cost basis, or null without a quote.</param>
/// <param name="AsOf">When the quote was current, or null without a quote.</param>
/// <param name="LastTradeDate">Trade date of the last transaction.</param>
/// <param name="TransactionCount">Transactions of this account in this asset.</param>
public sealed record HoldingView(
    string AccountId,
    string AssetId,
    string Currency,
    decimal Quantity,
    decimal AverageCost,
    decimal CostBasis,
    decimal RealisedPnl,
    decimal Dividends,
    decimal Fees,
    decimal? Price,
    decimal? MarketValue,
    decimal? UnrealisedPnl,
    DateTimeOffset? AsOf,
    DateOnly LastTradeDate,
    int TransactionCount)
{
    public static HoldingView From(Holding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        return new HoldingView(
            holding.AccountId, holding.AssetId, holding.Currency, holding.Quantity, holding.AverageCost, holding.CostBasis, holding.RealisedPnl,
            holding.Dividends, holding.Fees, holding.Price, holding.MarketValue, holding.UnrealisedPnl, holding.AsOf, holding.LastTradeDate,
            holding.TransactionCount);
    }
}
