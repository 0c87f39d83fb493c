using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Storage.Dossiers;

/// <summary>
/// The content hash that decides whether a dossier changed: SHA-256 of its canonical JSON, as lower-case hex.
/// </summary>
/// <remarks>
/// Canonical JSON: object properties sorted by ordinal name (a duplicated name keeps its last value), no whitespace,
/// strings re-escaped the same way whatever the upstream escaping, numbers as their literal text, array order kept.
/// So a re-ordered or re-indented copy of the same dossier hashes the same, and any changed value does not.
/// </remarks>
public static class DossierContentHash
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>The canonical JSON of <paramref name="element"/> as UTF-8.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, element);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The hash of <paramref name="element"/>.</summary>
    public static string Compute(JsonElement element) => Convert.ToHexStringLower(SHA256.HashData(Canonicalize(element)));

    /// <summary>The hash of the JSON text <paramref name="json"/>.</summary>
    public static string Compute(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Compute(document.RootElement);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    properties[property.Name] = property.Value;
                }

                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
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
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers, true, false and null: their literal text.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
