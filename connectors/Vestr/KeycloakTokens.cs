namespace Tributary.Connectors.Vestr;

/// <summary>The tokens of one Keycloak login, as its token endpoint issued them.</summary>
/// <remarks>
/// <see cref="ToString"/> never prints the tokens (a record would print every property), so the record can be logged
/// or appear in a test failure safely.
/// </remarks>
/// <param name="AccessToken">The bearer token of Vestr's API; a secret.</param>
/// <param name="AccessExpiresAt">When <see cref="AccessToken"/> stops working: the reply's time plus its <c>expires_in</c>.</param>
/// <param name="RefreshToken">Exchanges for the next tokens without a new login, when Keycloak issued one; a secret.</param>
/// <param name="RefreshExpiresAt">When <see cref="RefreshToken"/> stops working, when Keycloak said (<c>refresh_expires_in</c>).</param>
public sealed record KeycloakTokens(string AccessToken, DateTimeOffset AccessExpiresAt, string? RefreshToken, DateTimeOffset? RefreshExpiresAt)
{
    public override string ToString() =>
        $"KeycloakTokens {{ AccessToken = {UpstreamReply.Redacted}, AccessExpiresAt = {AccessExpiresAt:O}, "
        + $"RefreshToken = {(RefreshToken is null ? "null" : UpstreamReply.Redacted)}, RefreshExpiresAt = {(RefreshExpiresAt is { } at ? at.ToString("O") : "null")} }}";
}
