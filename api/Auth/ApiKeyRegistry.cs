using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Tributary.Api.Auth;

/// <summary>Who holds an accepted key: its name (for logs), the user it acts for, its scope.</summary>
public sealed record ApiKeyHolder(string Name, string User, string Scope);

/// <summary>The accepted keys as hashes, built once from configuration.</summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(ApiKeyHolder Holder, byte[] Hash)> _keys;

    public ApiKeyRegistry(IOptions<GatewayAuthOptions> options, IConfiguration configuration)
    {
        var keys = options.Value.ApiKeys
            .Select(k => (new ApiKeyHolder(k.Name, k.EffectiveUser, k.Scope), k.Key is { Length: > 0 } key ? GatewayAuthOptions.Hash(key) : Convert.FromHexString(k.Sha256!)))
            .ToList();
        var adminKey = configuration[GatewayAuthOptions.AdminKeyVariable];
        if (!string.IsNullOrEmpty(adminKey))
        {
            keys.Add((new ApiKeyHolder($"admin ({GatewayAuthOptions.AdminKeyVariable})", GatewayAuthOptions.AdminUser, ApiKeyScopes.Admin),
                GatewayAuthOptions.Hash(adminKey)));
        }

        _keys = keys;
    }

    /// <summary>Finds the key's holder. Every configured hash is compared, in constant time, whatever matches.</summary>
    public ApiKeyHolder? Find(string presentedKey)
    {
        var presented = GatewayAuthOptions.Hash(presentedKey);
        ApiKeyHolder? found = null;
        foreach (var (holder, hash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                found ??= holder;
            }
        }

        return found;
    }
}
