namespace Tributary.Storage.FinTrack;

/// <summary>A market index whose level the index jobs follow.</summary>
/// <param name="Symbol">The index symbol, unique (e.g. <c>SPX</c>).</param>
/// <param name="Name">Display name.</param>
/// <param name="Currency">ISO 4217 code of the index.</param>
public sealed record MarketIndex(string Symbol, string Name, string Currency);
