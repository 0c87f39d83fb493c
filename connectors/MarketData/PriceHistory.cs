namespace Tributary.Connectors.MarketData;

/// <summary>The daily closes of one symbol over a requested range: business days only, oldest first.</summary>
/// <remarks>Days after the feed's latest business day are absent, so a range reaching into the future ends early.</remarks>
public sealed record PriceHistory(string Symbol, IReadOnlyList<DailyClose> Days);

/// <summary>One business day's close.</summary>
public sealed record DailyClose(DateOnly Date, decimal Close);
