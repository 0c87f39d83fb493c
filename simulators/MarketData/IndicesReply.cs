namespace Tributary.Simulators.MarketData;

/// <summary><c>GET /indices</c>: <c>{"indices":[{"symbol":"^GSPC","level":4812.37,"asOf":"2026-11-20"}],"unknown":[]}</c>.</summary>
/// <param name="Indices">One entry per known symbol, in request order, each symbol once.</param>
/// <param name="Unknown">Requested symbols the feed has no levels for, in request order.</param>
public sealed record IndicesReply(IReadOnlyList<IndexLevelEntry> Indices, IReadOnlyList<string> Unknown);

/// <summary>The latest level of one index: the close of the latest business day (<paramref name="AsOf"/>).</summary>
public sealed record IndexLevelEntry(string Symbol, decimal Level, DateOnly AsOf);
