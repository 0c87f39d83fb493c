namespace Tributary.Connectors.MarketData;

/// <summary>The latest price of a symbol: the close of the business day <paramref name="AsOf"/>.</summary>
/// <param name="Symbol">As requested.</param>
/// <param name="Price">Positive; 2 decimals, 4 below 1.</param>
/// <param name="Currency">ISO 4217 code of <paramref name="Price"/>.</param>
/// <param name="AsOf">The business day whose close this is.</param>
public sealed record Quote(string Symbol, decimal Price, string Currency, DateOnly AsOf);
