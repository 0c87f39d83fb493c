using System.Globalization;
using System.Text.Json;

namespace Tributary.Connectors.TrueLayer;

/// <summary>
/// How both TrueLayer clients read a reply and speak of a failed one: fields by name with their types checked, and a
/// reply that is not what the API documents (PROTOCOLS.md) reported as malformed, which is transient.
/// </summary>
internal sealed class TrueLayerReply(string call)
{
    /// <summary>The failure for a reply that is not the expected JSON: usually a truncated body, so transient.</summary>
    public static UpstreamException Malformed(string call, string why, Exception? inner) => new(
        TrueLayerAuthClient.Upstream,
        $"TrueLayer answered {call} with a malformed body ({why}). "
        + "This is usually a truncated reply: retry later; if it persists, TrueLayer's format has changed and this connector needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    /// <summary>The root of a reply, which must be a JSON object.</summary>
    public JsonElement Object(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Fail($"the body is a JSON {Kind(root)}, not an object");
        }

        return root;
    }

    /// <summary>The <c>results</c> array of the Data API's envelope <c>{"results":[...],"status":"Succeeded"}</c>.</summary>
    public JsonElement.ArrayEnumerator Results(JsonElement root)
    {
        if (!Object(root).TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw Fail("it has no results array");
        }

        return results.EnumerateArray();
    }

    public string RequiredString(JsonElement item, string name, string where) =>
        OptionalString(item, name, where) is { Length: > 0 } value ? value : throw Fail($"{where}.{name} is missing or empty");

    /// <summary>A string field; null when absent or JSON null.</summary>
    public string? OptionalString(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail($"{where}.{name} is a JSON {Kind(value)}, not a string");
    }

    /// <summary>A decimal sent as a JSON number (or a numeric string), read invariantly.</summary>
    public decimal? OptionalDecimal(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw Fail($"{where}.{name} is not a decimal number");
    }

    public decimal RequiredDecimal(JsonElement item, string name, string where) =>
        OptionalDecimal(item, name, where) ?? throw Fail($"{where}.{name} is missing");

    /// <summary>An RFC 3339 timestamp; one without an offset is taken as UTC.</summary>
    public DateTimeOffset? OptionalTimestamp(JsonElement item, string name, string where)
    {
        if (OptionalString(item, name, where) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? timestamp
            : throw Fail($"{where}.{name} is not an RFC 3339 timestamp");
    }

    public DateTimeOffset RequiredTimestamp(JsonElement item, string name, string where) =>
        OptionalTimestamp(item, name, where) ?? throw Fail($"{where}.{name} is missing");

    /// <summary>An object field; null when absent or JSON null.</summary>
    public JsonElement? OptionalObject(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Fail($"{where}.{name} is a JSON {Kind(value)}, not an object");
    }

    /// <summary>An array of strings; empty when absent or JSON null.</summary>
    public IReadOnlyList<string> Strings(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"{where}.{name} is a JSON {Kind(value)}, not an array");
        }

        var strings = new List<string>(value.GetArrayLength());
        foreach (var entry in value.EnumerateArray())
        {
            strings.Add(entry.ValueKind == JsonValueKind.String ? entry.GetString()! : throw Fail($"{where}.{name}[{strings.Count}] is not a string"));
        }

        return strings;
    }

    public UpstreamException Fail(string why) => Malformed(call, why, inner: null);

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
