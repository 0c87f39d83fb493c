namespace Tributary.Simulators.MarketData;

/// <summary>
/// <c>GET /history</c>: <c>{"history":[{"symbol":"AAPL","days":[{"date":"2026-11-20","close":187.42}]}],"unknown":[]}</c>.
/// </summary>
/// <param name="History">One entry per known symbol, in request order, each symbol once.</param>
/// <param name="Unknown">Requested symbols the feed has no prices for, in request order.</param>
public sealed record HistoryReply(IReadOnlyList<SymbolHistoryEntry> History, IReadOnlyList<string> Unknown);

/// <summary>The daily closes of one symbol: business days only, oldest first, none after the latest business day.</summary>
public sealed record SymbolHistoryEntry(string Symbol, IReadOnlyList<DailyCloseEntry> Days);

/// <summary>One business day's close.</summary>
public sealed record DailyCloseEntry(DateOnly Date, decimal Close);
