using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.AiPlatform;

/// <summary>
/// The platform's one tenant: its API key, its one user, the access tokens issued and the counts the admin API
/// reports. Every clock read goes through the registered <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>One lock guards everything: a login or an analysis touches it for a dictionary operation or two.</remarks>
public sealed class AiPlatformTenant
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _analysesBySection = new(StringComparer.Ordinal);
    private long _logins;
    private long _analyses;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    public AiPlatformTenant(IOptions<AiPlatformOptions> options, TimeProvider time)
    {
        Options = options.Value;
        _time = time;
        _jitter = new Random(Options.LatencyJitterSeed);
    }

    // The latency offsets' sequence (under _gate: Random is not thread-safe).
    private readonly Random _jitter;

    public AiPlatformOptions Options { get; }

    /// <summary>How long the next analysis takes: <see cref="AiPlatformOptions.LatencyMs"/>, moved by the next offset of the seeded jitter sequence.</summary>
    public TimeSpan NextLatency()
    {
        if (Options.LatencyJitterMs == 0)
        {
            return TimeSpan.FromMilliseconds(Options.LatencyMs);
        }

        lock (_gate)
        {
            return TimeSpan.FromMilliseconds(Options.LatencyMs + _jitter.Next(-Options.LatencyJitterMs, Options.LatencyJitterMs + 1));
        }
    }

    /// <summary>Whether both the API key and the tenant are this platform's (compared in constant time).</summary>
    public bool KeyMatches(string apiKey, string tenantId) =>
        Same(apiKey, Options.ApiKey) & Same(tenantId, Options.TenantId);

    public bool CredentialsMatch(string username, string password) =>
        Same(username, Options.Username) & Same(password, Options.Password);

    /// <summary>A new access token, valid <see cref="AiPlatformOptions.TokenSeconds"/> from now; counted as a login.</summary>
    public LoginReply Login()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // Expired tokens are dropped here, at most once a second, so a long benchmark's logins do not pile up and a
            // login does not walk every live token under the lock.
            if (now - _prunedAt >= TimeSpan.FromSeconds(1))
            {
                _prunedAt = now;
                foreach (var expired in _tokens.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
                {
                    _tokens.Remove(expired);
                }
            }

            _tokens[token] = now.AddSeconds(Options.TokenSeconds);
            _logins++;
        }

        return new LoginReply(token, "Bearer", Options.TokenSeconds);
    }

    /// <summary>Whether <paramref name="token"/> was issued here and has not expired.</summary>
    public bool IsTokenActive(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var expiresAt) && now < expiresAt;
        }
    }

    /// <summary>Counts one analysis written for <paramref name="section"/>.</summary>
    public void CountAnalysis(string section)
    {
        lock (_gate)
        {
            _analyses++;
            _analysesBySection[section] = _analysesBySection.GetValueOrDefault(section) + 1;
        }
    }

    /// <summary>Every token issued so far stops working now.</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    public AiPlatformSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new AiPlatformSnapshot(_logins, _analyses, new SortedDictionary<string, long>(_analysesBySection, StringComparer.Ordinal));
        }
    }

    /// <summary>Forgets every token and zeroes the counts.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tokens.Clear();
            _analysesBySection.Clear();
            _logins = 0;
            _analyses = 0;
        }
    }

    private static bool Same(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
}
