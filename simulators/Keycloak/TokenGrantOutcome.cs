namespace Tributary.Simulators.Keycloak;

/// <summary>What a grant at the token endpoint gave: tokens, or the <c>invalid_grant</c> description.</summary>
public sealed record TokenGrantOutcome(KeycloakTokenReply? Reply, string? InvalidGrant)
{
    public static TokenGrantOutcome Failed(string description) => new(null, description);
}
