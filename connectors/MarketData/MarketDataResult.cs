namespace Tributary.Connectors.MarketData;

/// <summary>What the feed answered for a list of symbols: the values it has and the symbols it does not know.</summary>
/// <typeparam name="T"><see cref="Quote"/>, <see cref="IndexLevel"/> or <see cref="PriceHistory"/>.</typeparam>
/// <param name="Found">One item per known symbol, in the order first requested, each symbol once.</param>
/// <param name="Unknown">
/// Requested symbols the feed has no data for, in the order first requested. Not an error: one unknown symbol
/// must not fail the other 99 of its batch; the caller decides what an unknown asset means.
/// </param>
public sealed record MarketDataResult<T>(IReadOnlyList<T> Found, IReadOnlyList<string> Unknown);
