using System.Net;
using System.Text.Json;

namespace Tributary.Api.WebConsole;

/// <summary>What the API answered a console call: its status, its JSON body, and, when it refused, its own message.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Body, string? Problem)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>Reads a response: a refusal's message is the problem's validation errors, or its detail, or its title.</summary>
    public static ApiAnswer From(HttpStatusCode status, string text)
    {
        JsonElement body = default;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                body = default;
            }
        }

        var ok = (int)status is >= 200 and < 300;
        return new ApiAnswer(status, body, ok ? null : ProblemOf(status, body));
    }

    private static string ProblemOf(HttpStatusCode status, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return $"The API answered {(int)status} {status}.";
        }

        if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            var messages = errors.EnumerateObject()
                .SelectMany(e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(m => m.GetString()) : [e.Value.ToString()])
                .Where(m => !string.IsNullOrEmpty(m))
                .ToList();
            if (messages.Count > 0)
            {
                return string.Join(" ", messages);
            }
        }

        return body.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } d ? d
            : body.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 } t ? t
            : $"The API answered {(int)status} {status}.";
    }
}
