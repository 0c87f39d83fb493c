namespace Tributary.Simulators.MarketData;

/// <summary>
/// <c>GET /quotes</c>: <c>{"quotes":[{"symbol":"AAPL","price":187.42,"currency":"USD","asOf":"2026-11-20"}],"unknown":["NOPE"]}</c>.
/// </summary>
/// <param name="Quotes">One entry per known symbol, in request order, each symbol once.</param>
/// <param name="Unknown">Requested symbols the feed has no prices for, in request order; empty when all resolved.</param>
public sealed record QuotesReply(IReadOnlyList<QuoteEntry> Quotes, IReadOnlyList<string> Unknown);

/// <summary>The latest price of one symbol: the close of the latest business day (<paramref name="AsOf"/>).</summary>
public sealed record QuoteEntry(string Symbol, decimal Price, string Currency, DateOnly AsOf);
