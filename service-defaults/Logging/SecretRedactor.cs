using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Tributary.ServiceDefaults.Logging;

/// <summary>
/// Every secret this process was configured with (passwords, client secrets, TOTP secrets, API and key-ring keys, tokens,
/// the password of a connection string), and text with each of them replaced by <see cref="Mask"/>. The logging layer
/// runs every log line through it, so no caller has to remember to.
/// </summary>
/// <remarks>
/// A setting is a secret when the last part of its key says so (<c>Password</c>, <c>*Secret</c>, <c>*Token</c>,
/// <c>ApiKey</c>, <c>Key</c>, <c>KeyRingKey</c>, <c>*_KEY</c>, <c>*_PASSWORD</c>, ...). Values shorter than
/// <see cref="MinimumLength"/> are left alone: masking every "on" or "10" would garble the logs and hide nothing.
/// </remarks>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    public const int MinimumLength = 6;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. secrets.Where(s => s.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>The secrets of <paramref name="configuration"/>.</summary>
    public static SecretRedactor From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var name = key[(key.LastIndexOf(':') + 1)..];
            if (IsSecretName(name))
            {
                secrets.Add(value);
            }

            foreach (Match password in ConnectionStringPassword().Matches(value))
            {
                secrets.Add(password.Groups["value"].Value.Trim());
            }
        }

        return new SecretRedactor(secrets);
    }

    /// <summary>Whether any secret is known (when none is, log lines pass untouched).</summary>
    public bool Any => _secrets.Length > 0;

    /// <summary><paramref name="text"/> with every secret masked.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> holds a secret.</summary>
    public bool Reveals(string? text) => text is not null && _secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal));

    private static bool IsSecretName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower is "key" or "keyringkey" or "apikey" or "sha256"
            || lower.Contains("password", StringComparison.Ordinal)
            || lower.Contains("secret", StringComparison.Ordinal)
            || lower.Contains("token", StringComparison.Ordinal)
            || lower.EndsWith("_key", StringComparison.Ordinal)
            || lower.EndsWith("passphrase", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?i)\b(password|pwd)\s*=\s*(?<value>[^;]+)")]
    private static partial Regex ConnectionStringPassword();
}
