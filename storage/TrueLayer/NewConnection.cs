using System.Text;

namespace Tributary.Storage.TrueLayer;

/// <summary>A bank connection just authorised: stored with status <c>active</c>.</summary>
/// <param name="RefreshTokenProtected">The refresh token as Data Protection ciphertext; never plaintext.</param>
/// <param name="AccessTokenProtected">The access token as Data Protection ciphertext, if one is kept.</param>
public sealed record NewConnection(
    string ConnectionId,
    string Owner,
    string? ProviderId,
    string? ProviderName,
    string? CredentialsId,
    DateTimeOffset? ConsentExpiresAt,
    string RefreshTokenProtected,
    string? AccessTokenProtected,
    DateTimeOffset? AccessTokenExpiresAt)
{
    /// <remarks>The protected tokens are left out, so logging a connection never writes them anywhere.</remarks>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ConnectionId = {ConnectionId}, Owner = {Owner}, ProviderId = {ProviderId}, ProviderName = {ProviderName}, ");
        builder.Append($"CredentialsId = {CredentialsId}, ConsentExpiresAt = {ConsentExpiresAt}, AccessTokenExpiresAt = {AccessTokenExpiresAt}");
        return true;
    }
}
