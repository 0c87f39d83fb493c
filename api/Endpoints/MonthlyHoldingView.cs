using Tributary.Storage.FinTrack;

namespace Tributary.Api.Endpoints;

/// <summary>One account's holding of one asset at the end of a month in which it traded it.</summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="RealisedPnl">Realised P&amp;L (minus fees) up to month end, cumulative.</param>
/// <param name="Dividends">Dividends up to month end, cumulative.</param>
/// <param name="Fees">Fees up to month end, cumulative.</param>
/// <param name="Price">The price used: the last close on or before month end, else the latest quote; null with neither.</param>
/// <param name="PriceDate">The day of the close used, or null when the latest quote (or nothing) was used.</param>
/// <param name="PriceSource"><c>history</c>, <c>latest</c>, or null without a price.</param>
/// <param name="MarketValue">Quantity * price, or null without a price.</param>
/// <param name="UnrealisedPnl">Market value - cost basis, or null without a price.</param>
/// <param name="MonthTransactions">Transactions of this account in this asset during the month.</param>
public sealed record MonthlyHoldingView(
    string AccountId,
    string AssetId,
    DateOnly Month,
    string Currency,
    decimal Quantity,
    decimal AverageCost,
    decimal CostBasis,
    decimal RealisedPnl,
    decimal Dividends,
    decimal Fees,
    decimal? Price,
    DateOnly? PriceDate,
    string? PriceSource,
    decimal? MarketValue,
    decimal? UnrealisedPnl,
    int MonthTransactions)
{
    public static MonthlyHoldingView From(MonthlyHolding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        return new MonthlyHoldingView(
            holding.AccountId, holding.AssetId, holding.Month, holding.Currency, holding.Quantity, holding.AverageCost, holding.CostBasis,
            holding.RealisedPnl, holding.Dividends, holding.Fees, holding.Price, holding.PriceDate, holding.PriceSource, holding.MarketValue,
            holding.UnrealisedPnl, holding.MonthTransactions);
    }
}
