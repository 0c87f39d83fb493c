namespace Tributary.Storage.FinTrack;

/// <summary>Something an account can hold, priced in one currency.</summary>
/// <param name="AssetId">The caller's id, unique.</param>
/// <param name="Symbol">The market symbol quotes are fetched by, unique.</param>
/// <param name="Name">Display name.</param>
/// <param name="AssetClass">Free text such as <c>equity</c>, <c>etf</c>, <c>bond</c>.</param>
/// <param name="Currency">ISO 4217 code of the prices and of the transactions in this asset.</param>
public sealed record Asset(string AssetId, string Symbol, string Name, string AssetClass, string Currency);
