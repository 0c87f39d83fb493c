namespace Tributary.Simulators.TrueLayer;

/// <summary>One result of <c>GET /data/v1/me</c>: who the token is for and how long its consent lasts.</summary>
public sealed record MeResult(
    string ClientId,
    string CredentialsId,
    string ConsentStatus,
    DateTimeOffset ConsentCreatedAt,
    DateTimeOffset ConsentExpiresAt,
    ProviderInfo Provider);
