using System.Text;

namespace Tributary.Storage.FinTrack;

/// <summary>One CSV record: the physical line it starts on (1-based) and its fields.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, bool Unterminated)
{
    /// <summary>An empty line (one empty field), skipped as a row.</summary>
    public bool IsBlank => Fields.Count == 1 && Fields[0].Length == 0;
}

/// <summary>
/// An RFC 4180 CSV reader: comma separated, fields optionally in double quotes with <c>""</c> for a quote, quoted
/// fields may span lines; CRLF, LF and CR all end a record. It keeps the line each record starts on, so errors can
/// name it.
/// </summary>
internal static class CsvRecords
{
    private const int ChunkLength = 16 * 1024;

    /// <summary>
    /// The records of <paramref name="reader"/>, one at a time as the text arrives: a body is never held whole, and a
    /// caller that stops (a row limit) stops the reading.
    /// </summary>
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(
        TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new char[ChunkLength];
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var carry = string.Empty;
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken);
            var end = read == 0;
            var text = carry + new string(buffer, 0, read);
            carry = string.Empty;
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];

                // A quote in quotes and a CR need the next character; at a chunk's end it is in the next chunk.
                if (!end && i + 1 == text.Length && ((c == '"' && inQuotes) || c == '\r'))
                {
                    carry = c.ToString();
                    break;
                }

                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        inQuotes = false;
                    }
                    else
                    {
                        if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    i++;
                    continue;
                }

                switch (c)
                {
                    case '"' when field.Length == 0:
                        inQuotes = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        break;
                    case '\r' or '\n':
                        if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                        {
                            i++;
                        }

                        fields.Add(field.ToString());
                        field.Clear();
                        yield return new CsvRecord(recordLine, [.. fields], Unterminated: false);
                        fields.Clear();
                        line++;
                        recordLine = line;
                        break;
                    default:
                        field.Append(c);
                        break;
                }

                i++;
            }

            if (end)
            {
                break;
            }
        }

        if (inQuotes || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, [.. fields], Unterminated: inQuotes);
        }
    }
}
