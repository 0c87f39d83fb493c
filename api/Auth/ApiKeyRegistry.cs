using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Tributary.Api.Auth;

/// <summary>The accepted keys as hashes, built once from configuration.</summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(string Name, string Scope, byte[] Hash)> _keys;

    public ApiKeyRegistry(IOptions<GatewayAuthOptions> options, IConfiguration configuration)
    {
        var keys = options.Value.ApiKeys
            .Select(k => (k.Name, k.Scope, k.Key is { Length: > 0 } key ? GatewayAuthOptions.Hash(key) : Convert.FromHexString(k.Sha256!)))
            .ToList();
        var adminKey = configuration[GatewayAuthOptions.AdminKeyVariable];
        if (!string.IsNullOrEmpty(adminKey))
        {
            keys.Add(($"admin ({GatewayAuthOptions.AdminKeyVariable})", ApiKeyScopes.Admin, GatewayAuthOptions.Hash(adminKey)));
        }

        _keys = keys;
    }

    /// <summary>Finds the key's holder. Every configured hash is compared, in constant time, whatever matches.</summary>
    public (string Name, string Scope)? Find(string presentedKey)
    {
        var presented = GatewayAuthOptions.Hash(presentedKey);
        (string, string)? found = null;
        foreach (var (name, scope, hash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                found ??= (name, scope);
            }
        }

        return found;
    }
}
