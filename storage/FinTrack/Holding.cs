namespace Tributary.Storage.FinTrack;

/// <summary>One account's current holding of one asset (a row of <c>fintrack.holdings</c>).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="AssetId">The asset.</param>
/// <param name="Currency">The asset's currency, in which every amount here is.</param>
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
public sealed record Holding(
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
    int TransactionCount);

/// <summary>One account's holding of one asset at the end of a month in which it traded it (a row of <c>fintrack.holdings_monthly</c>).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="AssetId">The asset.</param>
/// <param name="Month">The first day of the month.</param>
/// <param name="Currency">The asset's currency.</param>
/// <param name="Quantity">Units held at month end.</param>
/// <param name="AverageCost">Average cost at month end.</param>
/// <param name="CostBasis">Cost basis at month end.</param>
/// <param name="RealisedPnl">Realised P&amp;L (minus fees) up to month end, cumulative.</param>
/// <param name="Dividends">Dividends up to month end, cumulative.</param>
/// <param name="Fees">Fees up to month end, cumulative.</param>
/// <param name="Price">The price used: the last close on or before month end, else the latest quote; null with neither.</param>
/// <param name="PriceDate">The day of the close used, or null when the latest quote (or nothing) was used.</param>
/// <param name="PriceSource"><c>history</c>, <c>latest</c>, or null without a price.</param>
/// <param name="MarketValue">Quantity * price, or null without a price.</param>
/// <param name="UnrealisedPnl">Market value - cost basis, or null without a price.</param>
/// <param name="MonthTransactions">Transactions of this account in this asset during the month.</param>
public sealed record MonthlyHolding(
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
    int MonthTransactions);
