using Microsoft.Extensions.Logging;

namespace Tributary.Connectors.Vestr;

/// <summary>
/// The Vestr login of this process: one set of Keycloak tokens, shared by every call (a singleton), refreshed before
/// the access token runs out and replaced by a new login when Keycloak or Vestr no longer accepts them.
/// </summary>
/// <remarks>
/// One login or refresh at a time: callers that find the token stale wait for the one in flight instead of logging in
/// too (a TOTP code is good once per step at most Keycloaks). A refresh that fails for any reason is followed by a
/// full login; a login that fails throws its <see cref="UpstreamException"/> and the next call tries again.
/// </remarks>
public sealed partial class VestrSession : IDisposable
{
    /// <summary>An access token with less left than this is refreshed before use: a call must not outlive its token.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    private readonly Func<KeycloakLogin> _login;
    private readonly TimeProvider _time;
    private readonly ILogger<VestrSession> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KeycloakTokens? _tokens;
    private int _logins;

    /// <summary>Made by <see cref="VestrServiceCollectionExtensions.AddVestrClients"/>; <paramref name="login"/> makes a login client per login.</summary>
    public VestrSession(Func<KeycloakLogin> login, TimeProvider time, ILogger<VestrSession> logger)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _login = login;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many logins this process made (successful ones; refreshes not counted), for tests and diagnostics.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>
    /// A bearer token for Vestr's API: the cached one while it has more than <see cref="RefreshMargin"/> left, else a
    /// refreshed one, else one of a new login.
    /// </summary>
    /// <exception cref="UpstreamException">Neither a refresh nor a login worked: the login's failure.</exception>
    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        if (Usable(Volatile.Read(ref _tokens)) is { } token)
        {
            return token;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var tokens = Volatile.Read(ref _tokens);
            if (Usable(tokens) is { } fresh)
            {
                return fresh;
            }

            var login = _login();
            KeycloakTokens next;
            if (tokens?.RefreshToken is { } refreshToken && (tokens.RefreshExpiresAt is not { } until || until > _time.GetUtcNow()))
            {
                try
                {
                    next = await login.RefreshAsync(refreshToken, ct);
                    LogRefreshed(next.AccessExpiresAt);
                }
                catch (UpstreamException exception)
                {
                    LogRefreshFailed(exception.ErrorCode, exception.Message);
                    next = await LogInAsync(login, ct);
                }
            }
            else
            {
                next = await LogInAsync(login, ct);
            }

            Volatile.Write(ref _tokens, next);
            return next.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Vestr refused <paramref name="accessToken"/> (UNAUTHENTICATED): the next <see cref="AccessTokenAsync"/> logs in
    /// again, unless another caller has replaced that token already.
    /// </summary>
    public void Invalidate(string accessToken)
    {
        var current = Volatile.Read(ref _tokens);
        if (current is not null && string.Equals(current.AccessToken, accessToken, StringComparison.Ordinal)
            && ReferenceEquals(Interlocked.CompareExchange(ref _tokens, null, current), current))
        {
            LogInvalidated();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<KeycloakTokens> LogInAsync(KeycloakLogin login, CancellationToken ct)
    {
        var tokens = await login.LoginAsync(ct);
        var count = Interlocked.Increment(ref _logins);
        LogLoggedIn(count, tokens.AccessExpiresAt);
        return tokens;
    }

    private string? Usable(KeycloakTokens? tokens) =>
        tokens is not null && tokens.AccessExpiresAt - _time.GetUtcNow() > RefreshMargin ? tokens.AccessToken : null;

    [LoggerMessage(1, LogLevel.Information, "Logged in to Vestr (login {Count} of this process); the access token is good until {ExpiresAt:O}")]
    private partial void LogLoggedIn(int count, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Debug, "Refreshed the Vestr tokens; the access token is good until {ExpiresAt:O}")]
    private partial void LogRefreshed(DateTimeOffset expiresAt);

    [LoggerMessage(3, LogLevel.Warning, "Refreshing the Vestr tokens failed ({ErrorCode}): {Reason} Logging in again")]
    private partial void LogRefreshFailed(string? errorCode, string reason);

    [LoggerMessage(4, LogLevel.Information, "Vestr refused the access token (UNAUTHENTICATED): the next call logs in again")]
    private partial void LogInvalidated();
}
