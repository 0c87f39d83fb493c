namespace Tributary.Connectors.TrueLayer;

/// <summary>The tokens of one bank connection, as the token endpoint issued them.</summary>
/// <remarks>
/// TrueLayer rotates the refresh token on every refresh: keep <see cref="RefreshToken"/> of the latest reply, the
/// previous one is refused with <c>invalid_grant</c>. <see cref="ToString"/> never prints the tokens (a record would
/// print every property), so the record can be logged or appear in a test failure safely.
/// </remarks>
/// <param name="AccessToken">The bearer token of the Data API calls; a secret.</param>
/// <param name="RefreshToken">Exchanges for the next tokens, once; a secret.</param>
/// <param name="ExpiresAt">When <see cref="AccessToken"/> stops working: the reply's time plus its <c>expires_in</c>.</param>
/// <param name="Scope">The permissions granted, space separated, when TrueLayer said.</param>
public sealed record TrueLayerTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string? Scope)
{
    public override string ToString() =>
        $"TrueLayerTokens {{ AccessToken = {UpstreamReply.Redacted}, RefreshToken = {UpstreamReply.Redacted}, ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}
