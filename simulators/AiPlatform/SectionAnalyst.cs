using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Tributary.Simulators.AiPlatform;

/// <summary>
/// Writes the simulated model's analysis of one section: a pure function of the section's name and its data, so the
/// same request gets the same text in every process and a test can compute the text it must see.
/// </summary>
/// <remarks>
/// The data is reduced to its canonical JSON (object properties in ordinal order, no whitespace, numbers as sent), so
/// two bodies that differ only in property order or spacing are the same data. Its SHA-256 is the fingerprint the text
/// quotes and picks the closing remark.
/// </remarks>
public static class SectionAnalyst
{
    private static readonly string[] Remarks =
    [
        "The figures are internally consistent; no anomaly stands out.",
        "Concentration is the main point to watch in this section.",
        "The values move within their usual range; nothing calls for action.",
        "Some entries deserve a closer look before the next review.",
        "The section is balanced; the current positioning can be kept.",
    ];

    /// <summary>The analysis of <paramref name="section"/> holding <paramref name="data"/>, with its token count.</summary>
    public static AnalysisReply Analyse(string section, JsonElement data)
    {
        var canonical = Canonical(data);
        var hash = SHA256.HashData(canonical);
        var (count, noun) = data.ValueKind switch
        {
            JsonValueKind.Object => (data.EnumerateObject().Count(), "field"),
            JsonValueKind.Array => (data.GetArrayLength(), "item"),
            _ => (1, "value"),
        };
        var text = $"Analysis of the {section} section: {count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")} reviewed "
            + $"(data fingerprint {Convert.ToHexStringLower(hash.AsSpan(0, 8))}). {Remarks[hash[8] % Remarks.Length]}";
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return new AnalysisReply(section, text, AiPlatformRoutes.Model, ((canonical.Length + 3) / 4) + words);
    }

    /// <summary>The canonical JSON of <paramref name="data"/>, UTF-8: object properties sorted by name (ordinal), no whitespace.</summary>
    public static byte[] Canonical(JsonElement data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, data);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;

            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;

            default:
                element.WriteTo(writer);
                break;
        }
    }
}
