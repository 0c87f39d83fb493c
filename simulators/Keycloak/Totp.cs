using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Tributary.Simulators.Keycloak;

/// <summary>
/// RFC 6238 time-based one-time passwords as Keycloak's default OTP policy makes them: HMAC-SHA1, 6 digits,
/// 30-second steps counted from the Unix epoch.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>The code for the step holding <paramref name="time"/>, with <paramref name="digits"/> digits (RFC 6238 vectors use 8).</summary>
    public static string Code(byte[] key, DateTimeOffset time, int digits = Digits) => CodeAt(key, Step(time), digits);

    /// <summary>
    /// Whether <paramref name="code"/> is the code of the step holding <paramref name="now"/> or of one step before
    /// or after it (Keycloak's default look-around of 1), compared in constant time.
    /// </summary>
    public static bool Verify(byte[] key, string? code, DateTimeOffset now, int window = 1)
    {
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var step = Step(now);
        var matched = false;
        for (var offset = -window; offset <= window; offset++)
        {
            matched |= CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(CodeAt(key, step + offset, Digits)),
                System.Text.Encoding.ASCII.GetBytes(code));
        }

        return matched;
    }

    /// <summary>The RFC 4226 HOTP value of one counter.</summary>
    public static string CodeAt(byte[] key, long counter, int digits = Digits)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 and Keycloak's default OTP policy are HMAC-SHA1; codes must match authenticator apps.
        HMACSHA1.HashData(key, message, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFF_FFFF) % (int)Math.Pow(10, digits);
        return binary.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    private static long Step(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;
}
