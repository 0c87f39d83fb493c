namespace Tributary.Storage.FinTrack;

/// <summary>A portfolio that holds assets.</summary>
/// <param name="AccountId">The caller's id, unique.</param>
/// <param name="Name">Display name.</param>
/// <param name="BaseCurrency">ISO 4217 code the account reports in.</param>
public sealed record Account(string AccountId, string Name, string BaseCurrency);
