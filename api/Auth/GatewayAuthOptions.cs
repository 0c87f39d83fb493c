using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tributary.Api.Auth;

/// <summary>
/// The API keys the gateway accepts. Section <c>Auth</c>; <c>TRIBUTARY_ADMIN_KEY</c> adds one admin key, of user
/// <see cref="AdminUser"/>.
/// </summary>
/// <remarks>
/// Keys are compared by SHA-256 hash in constant time, so configuration may hold only the hash
/// (<c>Sha256</c>) and a timing probe learns nothing. Keys never appear in logs or errors.
/// </remarks>
public sealed class GatewayAuthOptions
{
    public const string Section = "Auth";
    public const string AdminKeyVariable = "TRIBUTARY_ADMIN_KEY";

    /// <summary>The user of the <see cref="AdminKeyVariable"/> key, and the owner of what was created before users existed.</summary>
    public const string AdminUser = "admin";
    public const int MinimumKeyLength = 16;

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>Every problem with the configured keys, each a sentence naming the setting.</summary>
    public IReadOnlyList<string> Validate(bool hasAdminKeyFromEnvironment)
    {
        var problems = new List<string>();
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var entry = ApiKeys[i];
            var at = $"{Section}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                problems.Add($"{at}:Name is required.");
            }

            if (!string.IsNullOrEmpty(entry.User) && (entry.User.Trim() != entry.User || entry.User.Length > 100 || entry.User.Any(char.IsControl)))
            {
                problems.Add($"{at}:User must be 1..100 characters without control characters or surrounding spaces (leave it out to use the key's Name).");
            }

            if (!ApiKeyScopes.IsKnown(entry.Scope))
            {
                problems.Add($"{at}:Scope must be '{ApiKeyScopes.Operator}' or '{ApiKeyScopes.Admin}', was '{entry.Scope}'.");
            }

            var hasKey = !string.IsNullOrEmpty(entry.Key);
            var hasHash = !string.IsNullOrEmpty(entry.Sha256);
            if (hasKey == hasHash)
            {
                problems.Add($"{at} needs exactly one of Key or Sha256.");
            }
            else if (hasKey && entry.Key!.Length < MinimumKeyLength)
            {
                problems.Add($"{at}:Key must be at least {MinimumKeyLength} characters.");
            }
            else if (hasHash && (entry.Sha256!.Length != 64 || !entry.Sha256.All(char.IsAsciiHexDigit)))
            {
                problems.Add($"{at}:Sha256 must be 64 hex digits (sha256sum of the key).");
            }
        }

        if (ApiKeys.Count == 0 && !hasAdminKeyFromEnvironment)
        {
            problems.Add($"{Section}:ApiKeys is empty and {AdminKeyVariable} is unset: no one could call the API.");
        }

        return problems;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>One configured key.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who holds the key; shown in logs instead of the key.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The user the key acts for: what it creates (webhooks) is theirs, and only their keys and admin keys see it.
    /// Several keys may share a user (to rotate a key); by default the key's <see cref="Name"/>.
    /// </summary>
    public string? User { get; set; }

    /// <summary><see cref="User"/>, or <see cref="Name"/> when it is not set.</summary>
    public string EffectiveUser => string.IsNullOrEmpty(User) ? Name : User;

    /// <summary><c>operator</c> (the API) or <c>admin</c> (also the dashboard and admin routes).</summary>
    public string Scope { get; set; } = ApiKeyScopes.Operator;

    /// <summary>The key itself (from a secret store or the environment), or…</summary>
    public string? Key { get; set; }

    /// <summary>…its SHA-256 as hex, so configuration never holds the key.</summary>
    public string? Sha256 { get; set; }
}

/// <summary>
/// Checks the configured keys at start (the gateway's options are validated on start): every problem a sentence
/// naming the setting, never a key.
/// </summary>
public sealed class GatewayAuthOptionsValidator(IConfiguration configuration) : IValidateOptions<GatewayAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayAuthOptions options) =>
        options.Validate(!string.IsNullOrEmpty(configuration[GatewayAuthOptions.AdminKeyVariable])) is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}
