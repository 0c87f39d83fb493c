namespace Tributary.Connectors.Credinvest;

/// <summary>SHA256 host key fingerprints as OpenSSH prints them (<c>SHA256:</c> and unpadded base64).</summary>
public static class HostKeyFingerprint
{
    /// <summary>The fingerprint in OpenSSH's form, from either that form or bare base64 (padded or not); null when it is neither.</summary>
    public static string? Normalise(string? fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint))
        {
            return null;
        }

        var text = fingerprint.Trim();
        if (text.StartsWith("SHA256:", StringComparison.Ordinal))
        {
            text = text["SHA256:".Length..];
        }

        text = text.TrimEnd('=');
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(padded, bytes, out var written) && written == 32 ? "SHA256:" + text : null;
    }
}
