using System.Security.Cryptography;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// Dropbox's <c>content_hash</c>: the SHA-256 of each 4 MiB block of the content, concatenated, hashed with SHA-256
/// again, in lower-case hex. An empty file has no blocks, so its hash is the SHA-256 of nothing.
/// </summary>
public static class DropboxContentHash
{
    public const int BlockSize = 4 * 1024 * 1024;

    public static string Compute(ReadOnlySpan<byte> content)
    {
        using var overall = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        for (var start = 0; start < content.Length; start += BlockSize)
        {
            SHA256.HashData(content.Slice(start, Math.Min(BlockSize, content.Length - start)), block);
            overall.AppendData(block);
        }

        return Convert.ToHexStringLower(overall.GetHashAndReset());
    }
}
