namespace Tributary.Connectors.AiPlatform;

/// <summary>The bearer token of one login at the AI platform.</summary>
/// <remarks>
/// <see cref="ToString"/> never prints the token (a record would print every property), so the record can be logged
/// or appear in a test failure safely.
/// </remarks>
/// <param name="AccessToken">The bearer token of <see cref="AiPlatformClient.AnalyzeAsync"/>; a secret.</param>
/// <param name="ExpiresAt">When it stops working: the reply's time plus its <c>expires_in</c>.</param>
public sealed record AiPlatformToken(string AccessToken, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AiPlatformToken {{ AccessToken = {UpstreamReply.Redacted}, ExpiresAt = {ExpiresAt:O} }}";
}
