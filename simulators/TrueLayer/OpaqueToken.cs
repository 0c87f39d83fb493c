using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tributary.Simulators.TrueLayer;

/// <summary>Random opaque strings for codes, tokens and credentials ids: 32 random bytes, base64url.</summary>
public static class OpaqueToken
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
