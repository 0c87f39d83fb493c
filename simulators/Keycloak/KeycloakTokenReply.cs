namespace Tributary.Simulators.Keycloak;

/// <summary>The token endpoint's success reply (snake_case on the wire).</summary>
public sealed record KeycloakTokenReply(
    string AccessToken,
    int ExpiresIn,
    int RefreshExpiresIn,
    string RefreshToken,
    string TokenType,
    string Scope);
