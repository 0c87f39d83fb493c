namespace Tributary.Storage.FinTrack;

/// <summary>The latest quote of an asset.</summary>
/// <param name="AssetId">The asset quoted.</param>
/// <param name="Price">Price per unit, zero or more.</param>
/// <param name="Currency">ISO 4217 code of the price.</param>
/// <param name="AsOf">When the market said so.</param>
/// <param name="Source">Where the quote came from, e.g. <c>market-data-feed</c>.</param>
public sealed record LatestPrice(string AssetId, decimal Price, string Currency, DateTimeOffset AsOf, string Source);

/// <summary>An asset's closing price on one day.</summary>
public sealed record DailyClose(string AssetId, DateOnly Day, decimal Close);

/// <summary>The latest level of a market index.</summary>
public sealed record IndexLevel(string Symbol, decimal Level, DateTimeOffset AsOf);

/// <summary>A market index's closing level on one day.</summary>
public sealed record IndexClose(string Symbol, DateOnly Day, decimal Level);
