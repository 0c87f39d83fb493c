using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tributary.Storage.Secrets;

/// <summary>
/// The key from configuration (<c>DataProtection:KeyRingKey</c>) that seals the Data Protection key ring at rest:
/// 32 bytes, AES-256-GCM. Only the key ring's master keys are sealed with it; secrets themselves are protected by
/// Data Protection with those master keys.
/// </summary>
/// <remarks>
/// A sealed value is <c>nonce (12 bytes) || tag (16 bytes) || ciphertext</c>, authenticated together with
/// <see cref="AssociatedData"/>, so a value sealed for something else, or altered, does not open. The
/// <see cref="Fingerprint"/> (a hash of the key, not the key) is stored beside each sealed key so a process with
/// another key says so instead of failing obscurely.
/// </remarks>
public sealed class KeyRingKey
{
    /// <summary>The key's length in bytes.</summary>
    public const int Length = 32;

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("tributary data protection key ring v1");
    private static readonly byte[] FingerprintLabel = Encoding.ASCII.GetBytes("tributary key ring key fingerprint v1");

    private readonly byte[] _key;

    private KeyRingKey(byte[] key)
    {
        _key = key;
        Fingerprint = Convert.ToHexString(HMACSHA256.HashData(key, FingerprintLabel).AsSpan(0, 6)).ToLowerInvariant();
    }

    /// <summary>Twelve hex digits that tell keys apart without revealing them.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads the base64 of a 32-byte key; <paramref name="problem"/> says what is wrong otherwise (never the value).</summary>
    public static bool TryParse(string? base64, out KeyRingKey? key, out string? problem)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = "is unset";
            return false;
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
        {
            problem = "is not base64";
            return false;
        }

        if (written != Length)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"is {written} bytes, not {Length}");
            return false;
        }

        key = new KeyRingKey(buffer[..Length]);
        problem = null;
        return true;
    }

    /// <summary>Reads a key that the options validator has already accepted.</summary>
    public static KeyRingKey Parse(string? base64) =>
        TryParse(base64, out var key, out var problem)
            ? key!
            : throw new InvalidOperationException($"{SecretProtectionOptions.Section}:{nameof(SecretProtectionOptions.KeyRingKey)} {problem}.");

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> under a fresh random nonce.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceLength + TagLength + plaintext.Length];
        var nonce = output.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceLength + TagLength), output.AsSpan(NonceLength, TagLength), AssociatedData);
        return output;
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced with this key.</summary>
    /// <exception cref="CryptographicException">It was sealed with another key, or altered.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue)
    {
        if (sealedValue.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("The sealed key-ring value is too short to be one.");
        }

        var plaintext = new byte[sealedValue.Length - NonceLength - TagLength];
        using var aes = new AesGcm(_key, TagLength);
        aes.Decrypt(sealedValue[..NonceLength], sealedValue[(NonceLength + TagLength)..], sealedValue.Slice(NonceLength, TagLength), plaintext, AssociatedData);
        return plaintext;
    }
}
