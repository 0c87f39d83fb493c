using System.Buffers.Text;
using System.Security.Cryptography;

namespace Tributary.Simulators.Keycloak;

/// <summary>Random opaque strings for session codes, authorization codes and tokens: base64url of random bytes.</summary>
public static class OpaqueCode
{
    public static string New(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
