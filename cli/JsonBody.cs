using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>A request body of the fields that were given: an option left out is left out of the body, so the gateway applies its default.</summary>
public static class JsonBody
{
    public static JsonObject Of(params (string Name, JsonNode? Value)[] fields)
    {
        var body = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }

        return body;
    }

    /// <summary>A query string of the given values (<c>?a=1&amp;b=x</c>), or empty.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join("&", given);
    }

    /// <summary>A path segment, escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public static string Id(JsonNode? answer, string field) =>
        answer?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text
            : throw new CommandFailedException($"The gateway's answer has no {field}: {answer?.ToJsonString()}");
}
