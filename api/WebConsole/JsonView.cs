using System.Globalization;
using System.Text.Json;

namespace Tributary.Api.WebConsole;

/// <summary>Reading the API's JSON answers in the pages: a missing or null field reads as empty, never as an exception.</summary>
public static class JsonView
{
    public static JsonElement Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A field as text: strings as they are, numbers and booleans invariantly, null or missing as "".</summary>
    public static string Text(this JsonElement element, string name) => element.Get(name).AsText();

    public static string AsText(this JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        _ => value.GetRawText(),
    };

    public static double Number(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble()
        : double.TryParse(element.Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    public static bool Flag(this JsonElement element, string name) => element.Get(name).ValueKind == JsonValueKind.True;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) => element.Get(name).Items();

    /// <summary>A timestamp field in UTC, "yyyy-MM-dd HH:mm:ss", or "" when absent.</summary>
    public static string Time(this JsonElement element, string name) =>
        DateTimeOffset.TryParse(element.Text(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
            : string.Empty;
}
