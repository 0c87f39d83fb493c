using System.Text;

namespace Tributary.Storage.TrueLayer;

/// <summary>A stored bank connection. The token columns are Data Protection ciphertext; unprotect them to use them.</summary>
public sealed record StoredConnection(
    string ConnectionId,
    string Owner,
    string? ProviderId,
    string? ProviderName,
    string? CredentialsId,
    string Status,
    string? StatusMessage,
    DateTimeOffset? ConsentExpiresAt,
    string RefreshTokenProtected,
    string? AccessTokenProtected,
    DateTimeOffset? AccessTokenExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The connection's tokens work.</summary>
    public const string Active = "active";

    /// <summary>The user has to authorise the connection again (a refresh failed, or consent ran out).</summary>
    public const string ReauthRequired = "reauth_required";

    /// <remarks>The protected tokens are left out, so logging a connection never writes them anywhere.</remarks>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ConnectionId = {ConnectionId}, Owner = {Owner}, ProviderId = {ProviderId}, ProviderName = {ProviderName}, ");
        builder.Append($"CredentialsId = {CredentialsId}, Status = {Status}, StatusMessage = {StatusMessage}, ConsentExpiresAt = {ConsentExpiresAt}, ");
        builder.Append($"AccessTokenExpiresAt = {AccessTokenExpiresAt}, CreatedAt = {CreatedAt}, UpdatedAt = {UpdatedAt}");
        return true;
    }
}
