using Microsoft.Extensions.Logging;
using Tributary.Connectors;
using Tributary.Connectors.TrueLayer;
using Tributary.Storage.Secrets;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <inheritdoc cref="IConnectionGrain"/>
/// <remarks>
/// Not reentrant on purpose: calls are answered one at a time, so however many batches on however many silos ask for
/// a token at once, at most one refresh is under way and everyone after it gets the token it brought. The stored row
/// is the truth (a new activation reads it); the decrypted access token is cached here only.
/// </remarks>
[GrainType("truelayer-connection")]
public sealed partial class ConnectionGrain(
    TrueLayerAuthClient auth,
    TrueLayerDataClient data,
    TrueLayerStore store,
    SecretProtector secrets,
    TimeProvider time,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain
{
    private const string TokenPurpose = TrueLayerNames.TokenPurpose;

    /// <summary>A token this close to its expiry is refreshed first: a call that starts with it must not outlive it.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(2);

    private string? _accessToken;
    private DateTimeOffset _accessExpiresAt;

    private string ConnectionId => this.GetPrimaryKeyString();

    public async Task<ConnectionLinkResult> Link(ConnectionLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (await store.GetConnectionAsync(ConnectionId, CancellationToken.None) is { } existing)
        {
            // A retried link (the gateway retries a call whose silo died) finds the connection it made.
            return existing.Owner == link.Owner
                ? new ConnectionLinkResult(ConnectionId, (await store.ListAccountsAsync(ConnectionId, CancellationToken.None)).Count)
                : new ConnectionLinkResult(ConnectionId, 0, $"Connection id '{ConnectionId}' is taken.", 409);
        }

        TrueLayerTokens tokens;
        TrueLayerConsent consent;
        IReadOnlyList<TrueLayerAccount> accounts;
        try
        {
            tokens = link.Code is { } code
                ? await auth.ExchangeCodeAsync(code, CancellationToken.None)
                : await auth.RefreshAsync(link.RefreshToken ?? throw new ArgumentException("A link needs a code or a refresh token.", nameof(link)), CancellationToken.None);
            consent = await data.GetConsentAsync(tokens.AccessToken, CancellationToken.None);
            accounts = await data.GetAccountsAsync(tokens.AccessToken, CancellationToken.None);
        }
        catch (UpstreamException exception)
        {
            LogLinkFailed(logger, ConnectionId, exception.StatusCode, exception.ErrorCode);
            return new ConnectionLinkResult(ConnectionId, 0, exception.Message, exception.IsTransient ? 503 : 400);
        }

        await store.CreateConnectionAsync(
            new NewConnection(ConnectionId, link.Owner, consent.ProviderId, consent.ProviderName, consent.CredentialsId, consent.ConsentExpiresAt,
                await secrets.ProtectAsync(TokenPurpose, tokens.RefreshToken, CancellationToken.None),
                await secrets.ProtectAsync(TokenPurpose, tokens.AccessToken, CancellationToken.None),
                tokens.ExpiresAt),
            CancellationToken.None);
        await store.UpsertAccountsAsync(ConnectionId, link.Owner, [.. accounts.Select(AccountRowOf)], CancellationToken.None);
        (_accessToken, _accessExpiresAt) = (tokens.AccessToken, tokens.ExpiresAt);
        LogLinked(logger, ConnectionId, consent.ProviderId, accounts.Count);
        return new ConnectionLinkResult(ConnectionId, accounts.Count);
    }

    public async Task<AccessGrant> GetAccessToken(string? rejected = null)
    {
        var now = time.GetUtcNow();
        if (_accessToken is { } cached && cached != rejected && _accessExpiresAt - ExpiryMargin > now)
        {
            return new AccessGrant(cached, null);
        }

        if (await store.GetConnectionAsync(ConnectionId, CancellationToken.None) is not { } connection)
        {
            return new AccessGrant(null, $"There is no connection '{ConnectionId}'.");
        }

        if (connection.Status != "active")
        {
            return new AccessGrant(null, connection.StatusMessage ?? "The connection needs the bank's consent again: connect it through GET /api/truelayer/connect.", ReauthRequired: true);
        }

        // Another activation (before a restart) may have refreshed and stored a token this one never saw.
        if (connection.AccessTokenProtected is { } protectedAccess && connection.AccessTokenExpiresAt is { } storedExpiry && storedExpiry - ExpiryMargin > now)
        {
            var stored = await secrets.UnprotectAsync(TokenPurpose, protectedAccess, CancellationToken.None);
            if (stored != rejected)
            {
                (_accessToken, _accessExpiresAt) = (stored, storedExpiry);
                return new AccessGrant(stored, null);
            }
        }

        var refreshToken = await secrets.UnprotectAsync(TokenPurpose, connection.RefreshTokenProtected, CancellationToken.None);
        TrueLayerTokens tokens;
        try
        {
            tokens = await auth.RefreshAsync(refreshToken, CancellationToken.None);
        }
        catch (UpstreamException exception) when (exception.ErrorCode == "invalid_grant")
        {
            var sentence = "The bank's consent for this connection has expired or was revoked (TrueLayer said invalid_grant): "
                + "connect the bank again through GET /api/truelayer/connect; imports of this connection fail until then.";
            await store.SetConnectionStatusAsync(ConnectionId, "reauth_required", sentence, CancellationToken.None);
            (_accessToken, _accessExpiresAt) = (null, default);
            LogReauthRequired(logger, ConnectionId);
            return new AccessGrant(null, sentence, ReauthRequired: true);
        }
        catch (UpstreamException exception)
        {
            return new AccessGrant(null, exception.Message, Transient: exception.IsTransient);
        }

        // The old refresh token is dead from here on: the new one is stored before anyone is handed the access token.
        await store.SaveTokensAsync(ConnectionId,
            await secrets.ProtectAsync(TokenPurpose, tokens.RefreshToken, CancellationToken.None),
            await secrets.ProtectAsync(TokenPurpose, tokens.AccessToken, CancellationToken.None),
            tokens.ExpiresAt, CancellationToken.None);
        (_accessToken, _accessExpiresAt) = (tokens.AccessToken, tokens.ExpiresAt);
        LogRefreshed(logger, ConnectionId, tokens.ExpiresAt);
        return new AccessGrant(tokens.AccessToken, null);
    }

    public async Task<ConnectionLinkResult> RefreshAccounts()
    {
        if (await store.GetConnectionAsync(ConnectionId, CancellationToken.None) is not { } connection)
        {
            return new ConnectionLinkResult(ConnectionId, 0, $"There is no connection '{ConnectionId}'.", 404);
        }

        var grant = await GetAccessToken();
        if (grant.AccessToken is not { } token)
        {
            return new ConnectionLinkResult(ConnectionId, 0, grant.Problem, grant.ReauthRequired ? 409 : 503);
        }

        try
        {
            var accounts = await data.GetAccountsAsync(token, CancellationToken.None);
            await store.UpsertAccountsAsync(ConnectionId, connection.Owner, [.. accounts.Select(AccountRowOf)], CancellationToken.None);
            return new ConnectionLinkResult(ConnectionId, accounts.Count);
        }
        catch (UpstreamException exception)
        {
            return new ConnectionLinkResult(ConnectionId, 0, exception.Message, exception.IsTransient ? 503 : 502);
        }
    }

    private static AccountRow AccountRowOf(TrueLayerAccount account) => new(
        account.AccountId, account.Kind == TrueLayerAccountKind.Card ? "card" : "account", account.AccountType, account.Currency, account.DisplayName, account.ProviderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} linked to provider {ProviderId} with {Accounts} accounts and cards")]
    private static partial void LogLinked(ILogger logger, string connectionId, string providerId, int accounts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} could not be linked: TrueLayer answered {Status} {ErrorCode}")]
    private static partial void LogLinkFailed(ILogger logger, string connectionId, int? status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} refreshed its access token (valid until {ExpiresAt})")]
    private static partial void LogRefreshed(ILogger logger, string connectionId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} needs the bank's consent again (invalid_grant)")]
    private static partial void LogReauthRequired(ILogger logger, string connectionId);
}
