using Microsoft.Extensions.Options;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// The simulated auth server's state: consents, authorization codes, refresh and access tokens, and how many grants
/// of each type succeeded. Thread-safe; one lock guards the token tables, consents hold their own small state.
/// </summary>
/// <remarks>
/// Refresh tokens rotate: a refresh grant issues a new refresh token and retires the one it used, as TrueLayer does,
/// so a client that keeps an old one gets <c>invalid_grant</c>. Access tokens stay valid until they expire.
/// </remarks>
public sealed class TrueLayerConsentBook(IOptions<TrueLayerOptions> options, TimeProvider time)
{
    private readonly TrueLayerOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrueLayerConsent> _consents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsentAccount> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessGrant> _accessTokens = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _refreshesByCredentials = new(StringComparer.Ordinal);
    private long _codeGrants;
    private long _refreshGrants;

    public TrueLayerOptions Options => _options;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>A new consent, authorised now, with a new random <c>credentials_id</c>.</summary>
    public TrueLayerConsent CreateConsent(ConsentShape shape, string scope)
    {
        var now = time.GetUtcNow();
        var createdAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var consent = new TrueLayerConsent(
            OpaqueToken.New(), createdAt, TimeSpan.FromDays(_options.ConsentDays), scope, shape, unchecked((ulong)_options.DataSeed));
        lock (_gate)
        {
            _consents.Add(consent.CredentialsId, consent);
            foreach (var account in consent.Accounts)
            {
                _accounts.Add(account.AccountId, account);
            }
        }

        return consent;
    }

    /// <summary>A single-use code for <paramref name="consent"/>, valid for five minutes and bound to the redirect URI.</summary>
    public string IssueCode(TrueLayerConsent consent, string redirectUri)
    {
        var code = OpaqueToken.New();
        lock (_gate)
        {
            _codes.Add(code, new AuthorizationCode(consent, redirectUri, time.GetUtcNow() + TrueLayerRoutes.CodeLifetime));
        }

        return code;
    }

    /// <summary>Exchanges a code (once) for tokens; the consent's SCA window starts again.</summary>
    public TokenOutcome RedeemCode(string code, string redirectUri)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_codes.Remove(code, out var issued))
            {
                return TokenOutcome.Refused("The authorization code is not valid: it is unknown or was already used (codes are single use).");
            }

            if (now >= issued.ExpiresAt)
            {
                return TokenOutcome.Refused("The authorization code expired: codes are valid for 5 minutes after the dialog.");
            }

            if (!string.Equals(issued.RedirectUri, redirectUri, StringComparison.Ordinal))
            {
                return TokenOutcome.Refused("redirect_uri does not match the one the authorization code was issued for.");
            }

            issued.Consent.LastAuthorisedAt = now;
            _codeGrants++;
            return new TokenOutcome(Issue(issued.Consent, now), null);
        }
    }

    /// <summary>Exchanges a refresh token for new tokens, retiring it.</summary>
    public TokenOutcome Refresh(string refreshToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(refreshToken, out var credentialsId))
            {
                return TokenOutcome.Refused("The refresh token is not valid: it is unknown or was already used (refresh tokens rotate; use the latest one).");
            }

            var consent = _consents[credentialsId];
            if (consent.IsExpired(now))
            {
                return TokenOutcome.Refused(
                    $"The consent expired at {(consent.ExpiredByAdmin ? now : consent.ExpiresAt):O}; the user must authorise access again through the auth dialog.");
            }

            _refreshTokens.Remove(refreshToken);
            _refreshGrants++;
            _refreshesByCredentials[credentialsId] = _refreshesByCredentials.GetValueOrDefault(credentialsId) + 1;
            return new TokenOutcome(Issue(consent, now), null);
        }
    }

    /// <summary>Tokens for a consent made through the admin API, without a grant being counted.</summary>
    public TokenReply IssueForAdmin(TrueLayerConsent consent)
    {
        lock (_gate)
        {
            return Issue(consent, time.GetUtcNow());
        }
    }

    /// <summary>The consent of a live access token; null if the token is unknown or expired.</summary>
    public TrueLayerConsent? Authenticate(string accessToken)
    {
        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out var grant) && time.GetUtcNow() < grant.ExpiresAt ? grant.Consent : null;
        }
    }

    public TrueLayerConsent? FindConsent(string credentialsId)
    {
        lock (_gate)
        {
            return _consents.GetValueOrDefault(credentialsId);
        }
    }

    public ConsentAccount? FindAccount(string accountId)
    {
        lock (_gate)
        {
            return _accounts.GetValueOrDefault(accountId);
        }
    }

    public TrueLayerBookState Snapshot()
    {
        lock (_gate)
        {
            return new TrueLayerBookState(
                _consents.Count,
                new SortedDictionary<string, long>(StringComparer.Ordinal)
                {
                    ["authorization_code"] = _codeGrants,
                    ["refresh_token"] = _refreshGrants,
                },
                new SortedDictionary<string, long>(_refreshesByCredentials, StringComparer.Ordinal));
        }
    }

    /// <summary>Forgets every consent, code and token, and zeroes the grant counts.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _consents.Clear();
            _accounts.Clear();
            _codes.Clear();
            _refreshTokens.Clear();
            _accessTokens.Clear();
            _refreshesByCredentials.Clear();
            _codeGrants = 0;
            _refreshGrants = 0;
        }
    }

    /// <remarks>Called under the lock. Expired access tokens are dropped here, so the table stays small.</remarks>
    private TokenReply Issue(TrueLayerConsent consent, DateTimeOffset now)
    {
        foreach (var expired in _accessTokens.Where(pair => now >= pair.Value.ExpiresAt).Select(pair => pair.Key).ToList())
        {
            _accessTokens.Remove(expired);
        }

        var accessToken = OpaqueToken.New();
        var refreshToken = OpaqueToken.New();
        _accessTokens.Add(accessToken, new AccessGrant(consent, now.AddSeconds(_options.AccessTokenSeconds)));
        _refreshTokens.Add(refreshToken, consent.CredentialsId);
        return new TokenReply(accessToken, _options.AccessTokenSeconds, "Bearer", refreshToken, consent.Scope);
    }

    private sealed record AuthorizationCode(TrueLayerConsent Consent, string RedirectUri, DateTimeOffset ExpiresAt);

    private sealed record AccessGrant(TrueLayerConsent Consent, DateTimeOffset ExpiresAt);
}

/// <summary>What <c>GET /_admin/truelayer</c> shows.</summary>
/// <param name="Consents">How many consents exist.</param>
/// <param name="Grants">Successful grants by type: <c>authorization_code</c>, <c>refresh_token</c>.</param>
/// <param name="RefreshesByCredentials">Successful refresh grants per <c>credentials_id</c>.</param>
public sealed record TrueLayerBookState(
    int Consents,
    IReadOnlyDictionary<string, long> Grants,
    IReadOnlyDictionary<string, long> RefreshesByCredentials);
