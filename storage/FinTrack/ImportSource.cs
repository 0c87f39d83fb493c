using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// One data row of an import body: where it is, and its fields as text (JSON numbers keep their literal text).
/// <paramref name="Refused"/> names fields already reported while reading (e.g. a JSON array where text belongs).
/// </summary>
internal sealed record SourceRow(int Line, IReadOnlyDictionary<string, string?> Values, IReadOnlySet<string> Refused)
{
    /// <summary>The trimmed value, or null when the field is absent, null or blank.</summary>
    public string? Get(string field) =>
        Values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>
/// Reads an import body (JSON array or CSV with a header row) into <see cref="SourceRow"/>s against a fixed set of
/// columns. Problems with the body's shape (and unknown columns) become <see cref="ImportError"/>s, never exceptions.
/// </summary>
internal static class ImportSource
{
    private static readonly IReadOnlySet<string> NoneRefused = new HashSet<string>();

    /// <summary>
    /// Reads the rows of <paramref name="content"/>, at most <paramref name="maxRows"/>: past them reading stops and the
    /// body is refused with one error saying so. A JSON array is read element by element, never whole.
    /// </summary>
    public static async Task<IReadOnlyList<SourceRow>> ReadAsync(
        Stream content, ImportFormat format, ImportColumns columns, int maxRows, ImportErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return format switch
        {
            ImportFormat.Json => await ReadJsonAsync(content, columns, maxRows, errors, cancellationToken),
            ImportFormat.Csv => await ReadCsvAsync(content, columns, maxRows, errors, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown import format."),
        };
    }

    private static ImportError TooManyRows(int line, int maxRows) => new(line, ImportError.WholeRow,
        $"The body has more than {maxRows} rows ({ImportOptions.Section}:MaxRows): split it into smaller imports; nothing was read past this row.");

    private static async Task<IReadOnlyList<SourceRow>> ReadJsonAsync(
        Stream content, ImportColumns columns, int maxRows, ImportErrors errors, CancellationToken cancellationToken)
    {
        var rows = new List<SourceRow>();
        var reader = PipeReader.Create(content);
        try
        {
            // Only an array is streamed; anything else is read whole (to name its kind) and refused.
            if (await FirstByteAsync(reader, cancellationToken) != (byte)'[')
            {
                using var document = await JsonDocument.ParseAsync(reader.AsStream(leaveOpen: true), default, cancellationToken);
                errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                    $"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}: send a JSON array of objects, one per row."));
                return rows;
            }

            var index = 0;
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(reader.AsStream(leaveOpen: true), cancellationToken: cancellationToken))
            {
                var line = index++;
                if (line >= maxRows)
                {
                    errors.Add(TooManyRows(line, maxRows));
                    break;
                }

                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ImportError(line, ImportError.WholeRow,
                        $"Element is a JSON {element.ValueKind.ToString().ToLowerInvariant()}: each element must be an object with the fields {columns.Describe()}."));
                    continue;
                }

                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                var refused = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name.Trim().ToLowerInvariant();
                    if (!columns.Contains(name))
                    {
                        errors.Add(new ImportError(line, property.Name, $"Unknown field: expected only {columns.Describe()}."));
                        continue;
                    }

                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.String:
                            if (StorableValue(property.Value) is { } text)
                            {
                                values[name] = text;
                            }
                            else
                            {
                                errors.Add(new ImportError(line, name, UnstorableText));
                                refused.Add(name);
                            }

                            break;
                        case JsonValueKind.Number:
                            values[name] = property.Value.GetRawText();
                            break;
                        case JsonValueKind.Null:
                            values[name] = null;
                            break;
                        default:
                            errors.Add(new ImportError(line, name,
                                $"Is a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}: give a string or a number."));
                            refused.Add(name);
                            break;
                    }
                }

                rows.Add(new SourceRow(line, values, refused));
            }
        }
        catch (JsonException exception)
        {
            errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                $"The body is not valid JSON (text line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}): send a JSON array of objects."));
        }
        finally
        {
            await reader.CompleteAsync();
        }

        return rows;
    }

    private const string UnstorableText =
        "Is not storable text: it holds a NUL character (U+0000) or a lone UTF-16 surrogate (such as \\uD800); send the text without it.";

    /// <summary>The string, or null when it holds a NUL or a lone surrogate (which PostgreSQL cannot store).</summary>
    private static string? StorableValue(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The reader refuses to unescape a lone surrogate.
            return null;
        }

        return text.Contains('\0', StringComparison.Ordinal) ? null : text;
    }

    /// <summary>The body's first byte that is not JSON whitespace, left unread; 0 for an empty body.</summary>
    private static async Task<byte> FirstByteAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var position = buffer.Start;
            while (buffer.TryGet(ref position, out var memory))
            {
                foreach (var b in memory.Span)
                {
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
                    {
                        reader.AdvanceTo(buffer.Start, buffer.Start);
                        return b;
                    }
                }
            }

            if (read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return 0;
            }

            // Whitespace only so far: ask for more without consuming it.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static async Task<IReadOnlyList<SourceRow>> ReadCsvAsync(
        Stream content, ImportColumns columns, int maxRows, ImportErrors errors, CancellationToken cancellationToken)
    {
        var rows = new List<SourceRow>();
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        CsvRecord? header = null;
        CsvRecord? last = null;
        List<string> names = [];
        var count = 0;
        await foreach (var record in CsvRecords.ReadAsync(reader, cancellationToken))
        {
            last = record;
            if (record.IsBlank)
            {
                continue;
            }

            if (header is null)
            {
                header = record;
                names = [.. header.Fields.Select(f => f.Trim().ToLowerInvariant())];
                if (!HeaderIsGood(header, names, columns, errors))
                {
                    return rows;
                }

                continue;
            }

            if (count++ >= maxRows)
            {
                errors.Add(TooManyRows(record.Line, maxRows));
                return rows;
            }

            if (record.Fields.Count != names.Count)
            {
                errors.Add(new ImportError(record.Line, ImportError.WholeRow,
                    $"The row has {record.Fields.Count} fields but the header has {names.Count}: quote values that contain commas."));
                continue;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            HashSet<string>? refused = null;
            for (var i = 0; i < names.Count; i++)
            {
                if (record.Fields[i].Contains('\0', StringComparison.Ordinal))
                {
                    errors.Add(new ImportError(record.Line, names[i], UnstorableText));
                    (refused ??= new HashSet<string>(StringComparer.Ordinal)).Add(names[i]);
                    continue;
                }

                values[names[i]] = record.Fields[i];
            }

            rows.Add(new SourceRow(record.Line, values, (IReadOnlySet<string>?)refused ?? NoneRefused));
        }

        if (header is null)
        {
            errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                $"The CSV body is empty: send a header row naming the columns ({columns.Describe()}) and one row per record."));
            return rows;
        }

        if (last is { Unterminated: true })
        {
            errors.Add(new ImportError(last.Line, ImportError.WholeRow, "A quoted value is never closed: end it with a double quote."));
        }

        return rows;
    }

    /// <summary>Checks a header row's names against the columns, reporting each problem; true when rows can be read under it.</summary>
    private static bool HeaderIsGood(CsvRecord header, List<string> names, ImportColumns columns, ImportErrors errors)
    {
        var good = true;
        for (var i = 0; i < names.Count; i++)
        {
            if (!columns.Contains(names[i]))
            {
                errors.Add(new ImportError(header.Line, header.Fields[i].Trim(), $"Unknown column: expected only {columns.Describe()}."));
                good = false;
            }
            else if (names.IndexOf(names[i]) != i)
            {
                errors.Add(new ImportError(header.Line, names[i], "The column appears twice in the header row."));
                good = false;
            }
        }

        foreach (var required in columns.Required.Where(r => !names.Contains(r)))
        {
            errors.Add(new ImportError(header.Line, required, "Required column is missing from the header row."));
            good = false;
        }

        return good;
    }
}

/// <summary>The columns one kind of import accepts, and those a CSV header must name.</summary>
internal sealed class ImportColumns(IReadOnlyList<string> all, IReadOnlyList<string> required)
{
    public IReadOnlyList<string> All { get; } = all;

    public IReadOnlyList<string> Required { get; } = required;

    public bool Contains(string name) => All.Contains(name, StringComparer.Ordinal);

    public string Describe() => string.Join(", ", All);
}
