namespace Tributary.Connectors.MarketData;

/// <summary>The latest level of an index: the close of the business day <paramref name="AsOf"/>.</summary>
public sealed record IndexLevel(string Symbol, decimal Level, DateOnly AsOf);
