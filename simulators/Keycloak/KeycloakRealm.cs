using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Keycloak;

/// <summary>
/// The realm's state: login sessions of the browser flow, authorization codes, access and refresh tokens, the
/// server clock's skew and the counts the admin API reports. Every clock read goes through <see cref="Now"/>.
/// </summary>
/// <remarks>
/// Access tokens are checked by the Vestr simulator (<see cref="IsAccessTokenActive"/>), as Vestr's API trusts the
/// realm's tokens. One lock guards everything: the realm is tiny and a login takes a handful of requests.
/// </remarks>
public sealed class KeycloakRealm
{
    public const string BrowserFlow = "browser";
    public const string PasswordFlow = "password";
    public const string AuthorizationCodeGrant = "authorization_code";
    public const string PasswordGrantType = "password";
    public const string RefreshTokenGrant = "refresh_token";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly byte[] _totpKey;
    private readonly Dictionary<string, LoginSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _logins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _grants = new(StringComparer.Ordinal);
    private int _skewSeconds;

    public KeycloakRealm(IOptions<KeycloakOptions> options, TimeProvider time)
    {
        Options = options.Value;
        _time = time;
        _totpKey = Base32.TryDecode(Options.TotpSecret, out var key) ? key : [];
        Reset();
    }

    public KeycloakOptions Options { get; }

    /// <summary>The realm's clock: the host's <see cref="TimeProvider"/> plus the skew.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _time.GetUtcNow().AddSeconds(_skewSeconds);
            }
        }
    }

    public int ClockSkewSeconds
    {
        get
        {
            lock (_gate)
            {
                return _skewSeconds;
            }
        }

        set
        {
            lock (_gate)
            {
                _skewSeconds = value;
            }
        }
    }

    public bool IsKnownClient(string clientId) => Same(clientId, Options.ClientId);

    public bool CredentialsMatch(string? username, string? password) =>
        username is not null && password is not null && Same(username, Options.Username) && Same(password, Options.Password);

    /// <summary>Whether <paramref name="code"/> is the user's TOTP at the realm's clock (one step either side).</summary>
    public bool OtpMatches(string? code) => Totp.Verify(_totpKey, code?.Trim(), Now);

    public LoginSession StartLogin(string clientId, string redirectUri, string? state)
    {
        var session = new LoginSession(Guid.NewGuid().ToString(), clientId, redirectUri, state, OpaqueCode.New(8), Now);
        lock (_gate)
        {
            _sessions[session.Id] = session;
        }

        return session;
    }

    /// <summary>The live login session a cookie names, or null (unknown, finished or older than 30 minutes).</summary>
    public LoginSession? FindLogin(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return null;
        }

        var now = Now;
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var session) && now - session.CreatedAt < KeycloakRoutes.LoginSessionLifetime
                ? session
                : null;
        }
    }

    /// <summary>Moves a session to its next form; its session code changes, as Keycloak's does.</summary>
    public void Advance(LoginSession session, LoginStage stage)
    {
        lock (_gate)
        {
            session.Stage = stage;
            session.Execution = LoginStages.ExecutionOf(stage);
            session.SessionCode = OpaqueCode.New();
        }
    }

    /// <summary>Ends a finished browser login with a single-use code bound to its redirect URI.</summary>
    public string FinishLogin(LoginSession session)
    {
        var code = $"{OpaqueCode.New()}.{session.Id}";
        var now = Now;
        lock (_gate)
        {
            _sessions.Remove(session.Id);
            _codes[code] = new IssuedCode(session.ClientId, session.RedirectUri, now + KeycloakRoutes.CodeLifetime);
            Count(_logins, BrowserFlow);
        }

        return code;
    }

    public TokenGrantOutcome RedeemCode(string code, string redirectUri, string clientId)
    {
        var now = Now;
        lock (_gate)
        {
            // A code is spent by its first use, right or wrong, as in Keycloak.
            if (!_codes.Remove(code, out var issued) || now >= issued.ExpiresAt)
            {
                return TokenGrantOutcome.Failed(KeycloakError.CodeNotValid);
            }

            if (issued.RedirectUri != redirectUri)
            {
                return TokenGrantOutcome.Failed(KeycloakError.IncorrectRedirectUri);
            }

            if (issued.ClientId != clientId)
            {
                return TokenGrantOutcome.Failed(KeycloakError.CodeNotValid);
            }

            return new TokenGrantOutcome(IssueLocked(now, AuthorizationCodeGrant), null);
        }
    }

    public TokenGrantOutcome PasswordGrant(string username, string password, string totp)
    {
        if (!CredentialsMatch(username, password))
        {
            return TokenGrantOutcome.Failed(KeycloakError.InvalidCredentials);
        }

        if (!OtpMatches(totp))
        {
            return TokenGrantOutcome.Failed(KeycloakError.InvalidOtp);
        }

        var now = Now;
        lock (_gate)
        {
            Count(_logins, PasswordFlow);
            return new TokenGrantOutcome(IssueLocked(now, PasswordGrantType), null);
        }
    }

    /// <summary>
    /// New tokens for an active refresh token. The used refresh token stays valid until it expires (Keycloak's
    /// default: refresh tokens are not revoked on use).
    /// </summary>
    public TokenGrantOutcome Refresh(string refreshToken)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(refreshToken, out var expiresAt) || now >= expiresAt)
            {
                return TokenGrantOutcome.Failed(KeycloakError.TokenNotActive);
            }

            return new TokenGrantOutcome(IssueLocked(now, RefreshTokenGrant), null);
        }
    }

    /// <summary>Whether <paramref name="accessToken"/> was issued here and has not expired by the realm's clock.</summary>
    public bool IsAccessTokenActive(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return false;
        }

        var now = Now;
        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out var expiresAt) && now < expiresAt;
        }
    }

    /// <summary>Every access token issued so far expires now; refresh tokens stay valid.</summary>
    public int ExpireAccessTokens()
    {
        var now = Now;
        lock (_gate)
        {
            var active = 0;
            foreach (var token in _accessTokens.Keys.ToList())
            {
                if (_accessTokens[token] > now)
                {
                    active++;
                }

                _accessTokens[token] = now;
            }

            return active;
        }
    }

    public KeycloakSnapshot Snapshot()
    {
        var now = Now;
        lock (_gate)
        {
            return new KeycloakSnapshot(
                new Dictionary<string, long>(_logins),
                new Dictionary<string, long>(_grants),
                _skewSeconds,
                now,
                _accessTokens.Values.Count(expiresAt => now < expiresAt));
        }
    }

    /// <summary>Forgets every session, code and token, zeroes the counts and puts the skew back to the setting.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _codes.Clear();
            _accessTokens.Clear();
            _refreshTokens.Clear();
            _logins.Clear();
            _grants.Clear();
            _logins[BrowserFlow] = 0;
            _logins[PasswordFlow] = 0;
            _grants[AuthorizationCodeGrant] = 0;
            _grants[PasswordGrantType] = 0;
            _grants[RefreshTokenGrant] = 0;
            _skewSeconds = Options.ClockSkewSeconds;
        }
    }

    private KeycloakTokenReply IssueLocked(DateTimeOffset now, string grantType)
    {
        var accessToken = OpaqueCode.New();
        var refreshToken = OpaqueCode.New();
        _accessTokens[accessToken] = now.AddSeconds(Options.AccessTokenSeconds);
        _refreshTokens[refreshToken] = now.AddSeconds(Options.RefreshTokenSeconds);
        Count(_grants, grantType);
        return new KeycloakTokenReply(accessToken, Options.AccessTokenSeconds, Options.RefreshTokenSeconds, refreshToken, "Bearer", KeycloakRoutes.Scope);
    }

    private static void Count(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static bool Same(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));

    private sealed record IssuedCode(string ClientId, string RedirectUri, DateTimeOffset ExpiresAt);
}
