using System.Security.Cryptography;

namespace Tributary.Connectors.Dropbox;

/// <summary>
/// Dropbox's <c>content_hash</c>: the SHA-256 of each 4 MiB block of the content, concatenated, hashed with SHA-256
/// again, in lower-case hex. Feed it in parts of any size with <see cref="Append"/>, or use <see cref="Compute(Stream)"/>.
/// </summary>
public sealed class DropboxContentHash : IDisposable
{
    /// <summary>The block size of the hash, 4 MiB.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    private readonly IncrementalHash _overall = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _block = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _inBlock;

    /// <summary>The hash of a whole stream, read from its current position to its end.</summary>
    public static string Compute(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = new DropboxContentHash();
        var buffer = new byte[81920];
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }

        return hash.Finish();
    }

    /// <summary>The hash of <paramref name="content"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> content)
    {
        using var hash = new DropboxContentHash();
        hash.Append(content);
        return hash.Finish();
    }

    /// <summary>Adds the next part of the content.</summary>
    public void Append(ReadOnlySpan<byte> part)
    {
        while (part.Length > 0)
        {
            var take = Math.Min(part.Length, BlockSize - _inBlock);
            _block.AppendData(part[..take]);
            _inBlock += take;
            part = part[take..];
            if (_inBlock == BlockSize)
            {
                _overall.AppendData(_block.GetHashAndReset());
                _inBlock = 0;
            }
        }
    }

    /// <summary>The hash of everything appended; the instance starts over afterwards.</summary>
    public string Finish()
    {
        if (_inBlock > 0)
        {
            _overall.AppendData(_block.GetHashAndReset());
            _inBlock = 0;
        }

        return Convert.ToHexStringLower(_overall.GetHashAndReset());
    }

    public void Dispose()
    {
        _overall.Dispose();
        _block.Dispose();
    }
}
