namespace Tributary.Simulators.Keycloak;

/// <summary>
/// <c>GET /_admin/keycloak</c>: successful logins by flow (<c>browser</c>, <c>password</c>), successful grants by
/// type, the server clock's skew and the access tokens still active.
/// </summary>
public sealed record KeycloakSnapshot(
    IReadOnlyDictionary<string, long> Logins,
    IReadOnlyDictionary<string, long> Grants,
    int ClockSkewSeconds,
    DateTimeOffset ServerTime,
    int ActiveAccessTokens);
