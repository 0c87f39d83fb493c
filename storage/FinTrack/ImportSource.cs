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

    public static async Task<(IReadOnlyList<SourceRow> Rows, List<ImportError> Errors)> ReadAsync(
        Stream content, ImportFormat format, ImportColumns columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return format switch
        {
            ImportFormat.Json => await ReadJsonAsync(content, columns, cancellationToken),
            ImportFormat.Csv => await ReadCsvAsync(content, columns, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown import format."),
        };
    }

    private static async Task<(IReadOnlyList<SourceRow>, List<ImportError>)> ReadJsonAsync(
        Stream content, ImportColumns columns, CancellationToken cancellationToken)
    {
        var rows = new List<SourceRow>();
        var errors = new List<ImportError>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(content, default, cancellationToken);
        }
        catch (JsonException exception)
        {
            errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                $"The body is not valid JSON (text line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}): send a JSON array of objects."));
            return (rows, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                    $"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}: send a JSON array of objects, one per row."));
                return (rows, errors);
            }

            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var line = index++;
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
                            values[name] = property.Value.GetString();
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

        return (rows, errors);
    }

    private static async Task<(IReadOnlyList<SourceRow>, List<ImportError>)> ReadCsvAsync(
        Stream content, ImportColumns columns, CancellationToken cancellationToken)
    {
        var rows = new List<SourceRow>();
        var errors = new List<ImportError>();
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var records = CsvRecords.Parse(text);

        var header = records.FirstOrDefault(r => !r.IsBlank);
        if (header is null)
        {
            errors.Add(new ImportError(ImportError.DocumentLine, ImportError.WholeRow,
                $"The CSV body is empty: send a header row naming the columns ({columns.Describe()}) and one row per record."));
            return (rows, errors);
        }

        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var headerOk = true;
        for (var i = 0; i < names.Count; i++)
        {
            if (!columns.Contains(names[i]))
            {
                errors.Add(new ImportError(header.Line, header.Fields[i].Trim(), $"Unknown column: expected only {columns.Describe()}."));
                headerOk = false;
            }
            else if (names.IndexOf(names[i]) != i)
            {
                errors.Add(new ImportError(header.Line, names[i], "The column appears twice in the header row."));
                headerOk = false;
            }
        }

        foreach (var required in columns.Required.Where(r => !names.Contains(r)))
        {
            errors.Add(new ImportError(header.Line, required, "Required column is missing from the header row."));
            headerOk = false;
        }

        if (!headerOk)
        {
            return (rows, errors);
        }

        foreach (var record in records.Where(r => r.Line > header.Line && !r.IsBlank))
        {
            if (record.Fields.Count != names.Count)
            {
                errors.Add(new ImportError(record.Line, ImportError.WholeRow,
                    $"The row has {record.Fields.Count} fields but the header has {names.Count}: quote values that contain commas."));
                continue;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                values[names[i]] = record.Fields[i];
            }

            rows.Add(new SourceRow(record.Line, values, NoneRefused));
        }

        if (records.Count > 0 && records[^1] is { Unterminated: true } last)
        {
            errors.Add(new ImportError(last.Line, ImportError.WholeRow, "A quoted value is never closed: end it with a double quote."));
        }

        return (rows, errors);
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
