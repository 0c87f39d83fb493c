using System.Text;
using Tributary.Connectors.Dropbox;

namespace Tributary.Connectors.Tests.Dropbox;

/// <summary>
/// Dropbox's content hash: SHA-256 per 4 MiB block, the block hashes concatenated and hashed again. The vectors were
/// computed independently (Python's hashlib) over <see cref="DropboxSimulator.Pattern"/>.
/// </summary>
public sealed class DropboxContentHashTests
{
    [Theory]
    [InlineData(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(4 * 1024 * 1024, "ed1a0dd53370ba832a2e98484b981bae55f9ad17cd0d1f88662e287d860f4855")]
    [InlineData((9 * 1024 * 1024) + 3, "f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53")]
    public void The_hash_of_the_pattern_matches_the_vector(int length, string expected)
    {
        var content = DropboxSimulator.Pattern(length);

        Assert.Equal(expected, DropboxContentHash.Compute(content));
        Assert.Equal(expected, DropboxContentHash.Compute(new MemoryStream(content)));
    }

    [Fact]
    public void Hello_is_the_hash_of_the_hash_of_its_one_block() =>
        Assert.Equal("9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50", DropboxContentHash.Compute(Encoding.ASCII.GetBytes("hello")));

    [Fact]
    public void Parts_of_any_size_give_the_same_hash()
    {
        var content = DropboxSimulator.Pattern((9 * 1024 * 1024) + 3);
        using var hash = new DropboxContentHash();
        var parts = new[] { 1, 4 * 1024 * 1024, 7, 3 * 1024 * 1024 };
        var offset = 0;
        foreach (var part in parts)
        {
            hash.Append(content.AsSpan(offset, part));
            offset += part;
        }

        hash.Append(content.AsSpan(offset));

        Assert.Equal("f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53", hash.Finish());
    }
}
