using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>The CSV reader gives the same records whatever sizes the text arrives in: every chunk edge is a place it could go wrong.</summary>
public sealed class CsvRecordsTests
{
    private const string Text = "a,b,c\r\n\"x,\"\"1\"\"\",\"multi\r\nline\",z\r\r\n,,\n\"q\"\"\",\"\"\"\"\r\nlast,\"open";

    [Fact]
    public async Task Records_are_the_same_read_whole_or_one_character_at_a_time()
    {
        var whole = await ReadAsync(new StringReader(Text));
        var trickled = await ReadAsync(new TrickleReader(Text));

        Assert.Equal(
            [
                "1:a|b|c",
                "2:x,\"1\"|multi\r\nline|z",
                "4:",
                "5:||",
                "6:q\"|\"",
                "7:last|open (unterminated)",
            ],
            whole);
        Assert.Equal(whole, trickled);
    }

    private static async Task<List<string>> ReadAsync(TextReader reader)
    {
        var records = new List<string>();
        await foreach (var record in CsvRecords.ReadAsync(reader, CancellationToken.None))
        {
            records.Add($"{record.Line}:{string.Join('|', record.Fields)}{(record.Unterminated ? " (unterminated)" : string.Empty)}");
        }

        return records;
    }

    /// <summary>A reader that hands out one character per read, as a slow network might.</summary>
    private sealed class TrickleReader(string text) : TextReader
    {
        private int _next;

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            if (_next >= text.Length || buffer.Length == 0)
            {
                return ValueTask.FromResult(0);
            }

            buffer.Span[0] = text[_next++];
            return ValueTask.FromResult(1);
        }
    }
}
