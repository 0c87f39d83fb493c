namespace Tributary.TrueLayer;

/// <summary>
/// One bank connection (key: its connection id), the single writer of its tokens. TrueLayer's refresh tokens rotate:
/// a refresh returns a new one and the old one stops working, so two silos refreshing at once would leave one of them
/// holding a dead token. One activation in the cluster, answering one call at a time, refreshes once and hands the
/// same access token to every caller until it nears expiry.
/// </summary>
/// <remarks>
/// Tokens are kept encrypted (Data Protection) in <c>truelayer_connections</c>, never in grain state; the plain access
/// token lives only in this activation's memory and in the replies to <see cref="GetAccessToken"/>.
/// </remarks>
[Alias("Tributary.TrueLayer.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>Creates the connection from an authorization code (the OAuth callback) or an existing refresh token, and lists its accounts.</summary>
    [Alias("Link")]
    [ResponseTimeout("00:01:30")]
    Task<ConnectionLinkResult> Link(ConnectionLink link);

    /// <summary>
    /// An access token valid for at least a minute more, refreshing it first when needed or when
    /// <paramref name="rejected"/> (a token the data API refused with 401) is the current one.
    /// </summary>
    [Alias("GetAccessToken")]
    [ResponseTimeout("00:01:30")]
    Task<AccessGrant> GetAccessToken(string? rejected = null);

    /// <summary>Reads the connection's accounts and cards from TrueLayer again and stores them.</summary>
    [Alias("RefreshAccounts")]
    [ResponseTimeout("00:01:30")]
    Task<ConnectionLinkResult> RefreshAccounts();
}

/// <summary>What links a connection: exactly one of <paramref name="Code"/> and <paramref name="RefreshToken"/>.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ConnectionLink")]
public sealed record ConnectionLink([property: Id(0)] string Owner, [property: Id(1)] string? Code, [property: Id(2)] string? RefreshToken)
{
    /// <summary>Never the code or the token: records print every property by default, and links get logged.</summary>
    public override string ToString() => $"ConnectionLink {{ Owner = {Owner}, By = {(Code is null ? "refresh token" : "authorization code")} }}";
}

/// <summary>The linked connection, or why it could not be linked.</summary>
/// <param name="Problem">A sentence for the user; null on success.</param>
/// <param name="Status">The HTTP status that fits the problem (400 for a refused code or token, 502/503 when TrueLayer failed).</param>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ConnectionLinkResult")]
public sealed record ConnectionLinkResult(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] int Accounts,
    [property: Id(2)] string? Problem = null,
    [property: Id(3)] int Status = 200);

/// <summary>An access token to call the data API with, or why there is none.</summary>
/// <param name="ReauthRequired">The consent expired or was revoked: the user must connect the bank again.</param>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.AccessGrant")]
public sealed record AccessGrant(
    [property: Id(0)] string? AccessToken,
    [property: Id(1)] string? Problem,
    [property: Id(2)] bool ReauthRequired = false,
    [property: Id(3)] bool Transient = false)
{
    public override string ToString() => $"AccessGrant {{ Token = {(AccessToken is null ? "none" : "***")}, Problem = {Problem}, ReauthRequired = {ReauthRequired} }}";
}
