using Microsoft.Extensions.Options;

namespace Tributary.Storage.Secrets;

/// <summary>
/// How stored secrets (webhook secrets; later bank and platform tokens) are protected. Section <c>DataProtection</c>.
/// </summary>
public sealed class SecretProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Base64 of 32 random bytes that seals the Data Protection key ring kept in PostgreSQL. Every process that reads
    /// or writes stored secrets needs the same one; losing it makes every stored secret unreadable.
    /// </summary>
    public string? KeyRingKey { get; set; }
}

/// <summary>Checks <see cref="SecretProtectionOptions"/> at start with a sentence naming the setting, never its value.</summary>
public sealed class SecretProtectionOptionsValidator : IValidateOptions<SecretProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Secrets.KeyRingKey.TryParse(options.KeyRingKey, out _, out var problem))
        {
            return ValidateOptionsResult.Success;
        }

        var setting = $"{SecretProtectionOptions.Section}:{nameof(SecretProtectionOptions.KeyRingKey)}";
        return ValidateOptionsResult.Fail(string.IsNullOrWhiteSpace(options.KeyRingKey)
            ? $"{setting} is unset: stored secrets (webhook secrets) are encrypted with a key ring kept in PostgreSQL and sealed " +
              $"by this key. Set it to the base64 of {Secrets.KeyRingKey.Length} random bytes (head -c {Secrets.KeyRingKey.Length} /dev/urandom | base64), " +
              "the same on every gateway (environment variable DataProtection__KeyRingKey; run.sh keeps one in .data/keyring-key)."
            : $"{setting} must be the base64 of {Secrets.KeyRingKey.Length} random bytes (head -c {Secrets.KeyRingKey.Length} /dev/urandom | base64); it {problem}.");
    }
}
