using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>
/// The terminal view of a gateway answer: an object as "name: value" lines (nested ones indented), a list of objects as
/// a table of their plain fields, anything else as its JSON.
/// </summary>
public static class HumanText
{
    private const int MaxCell = 48;

    public static void Write(TextWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array when array.Count == 0:
                writer.WriteLine("(none)");
                break;
            case JsonArray array when array.All(item => item is JsonObject):
                Table(writer, [.. array.Cast<JsonObject>()]);
                break;
            case JsonObject obj:
                Fields(writer, obj, string.Empty);
                break;
            default:
                writer.WriteLine(Scalar(node));
                break;
        }
    }

    private static void Fields(TextWriter writer, JsonObject obj, string indent)
    {
        var width = obj.Count == 0 ? 0 : obj.Max(p => p.Key.Length);
        foreach (var (name, value) in obj)
        {
            switch (value)
            {
                case JsonObject nested when nested.Count > 0:
                    writer.WriteLine($"{indent}{name}:");
                    Fields(writer, nested, indent + "  ");
                    break;
                case JsonArray list when list.Count > 0 && list.All(i => i is JsonObject):
                    writer.WriteLine($"{indent}{name}: {list.Count.ToString(CultureInfo.InvariantCulture)}");
                    foreach (var item in list.Cast<JsonObject>())
                    {
                        writer.WriteLine($"{indent}  -");
                        Fields(writer, item, indent + "    ");
                    }

                    break;
                default:
                    writer.WriteLine($"{indent}{name.PadRight(width)}  {Scalar(value)}");
                    break;
            }
        }
    }

    private static void Table(TextWriter writer, IReadOnlyList<JsonObject> rows)
    {
        var columns = rows.SelectMany(r => r.Where(p => p.Value is not JsonObject and not JsonArray).Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToList();
        var cells = rows.Select(r => columns.Select(c => Cell(r[c])).ToList()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(row => row[i].Length))).ToList();
        writer.WriteLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            writer.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Cell(JsonNode? node)
    {
        var text = Scalar(node);
        return text.Length <= MaxCell ? text : text[..(MaxCell - 1)] + "…";
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "-",
        JsonObject { Count: 0 } or JsonArray { Count: 0 } => "(none)",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray array when array.All(i => i is JsonValue) => string.Join(", ", array.Select(Scalar)),
        _ => node.ToJsonString(),
    };
}
