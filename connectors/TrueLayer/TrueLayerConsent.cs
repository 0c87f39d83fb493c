namespace Tributary.Connectors.TrueLayer;

/// <summary>What <c>GET /data/v1/me</c> says about a connection: the bank and how long the consent lasts.</summary>
/// <param name="CredentialsId">TrueLayer's id of the connection, when sent.</param>
/// <param name="ProviderId">The bank, such as <c>ob-monzo</c>.</param>
/// <param name="ProviderName">The bank's display name; its provider id when TrueLayer sent none.</param>
/// <param name="ConsentExpiresAt">When the bank consent ends (90 days in the UK) and the user must reconnect; null when not sent.</param>
public sealed record TrueLayerConsent(string? CredentialsId, string ProviderId, string ProviderName, DateTimeOffset? ConsentExpiresAt);
