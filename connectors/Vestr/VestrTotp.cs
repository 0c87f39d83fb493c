using OtpNet;

namespace Tributary.Connectors.Vestr;

/// <summary>The authenticator's codes: RFC 6238, HMAC-SHA1, 6 digits, a 30 s step, from a base32 secret.</summary>
internal static class VestrTotp
{
    public const int Step = 30;

    public const int Digits = 6;

    /// <summary>Whether <paramref name="secret"/> decodes as base32 to at least one byte (spaces, case and padding aside).</summary>
    public static bool IsValidSecret(string secret)
    {
        var normalised = Normalise(secret);
        if (normalised.Length == 0 || normalised.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '2' and <= '7'))))
        {
            return false;
        }

        try
        {
            return Base32Encoding.ToBytes(normalised).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The code valid at <paramref name="at"/> for <paramref name="secret"/>.</summary>
    public static string Code(string secret, DateTimeOffset at)
    {
        var totp = new Totp(Base32Encoding.ToBytes(Normalise(secret)), Step, OtpHashMode.Sha1, Digits);
        return totp.ComputeTotp(at.UtcDateTime);
    }

    private static string Normalise(string secret) =>
        string.Concat(secret.Where(c => !char.IsWhiteSpace(c) && c != '-')).TrimEnd('=').ToUpperInvariant();
}
