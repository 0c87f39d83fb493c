using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>
/// A command failed: the gateway refused it or could not be reached, or its input could not be read. The message is what
/// the user reads on stderr (exit code 1): the API's problem+json title, detail and field errors, or what to check when
/// there was no answer.
/// </summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The status the gateway answered; null when it did not answer.</summary>
    public HttpStatusCode? Status { get; private init; }

    /// <summary>From an error answer: its problem+json when it has one, else its status line.</summary>
    public static CommandFailedException From(HttpMethod method, string path, HttpStatusCode status, string? reason, string body)
    {
        var text = new StringBuilder();
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: said by the status line below.
        }

        if (problem is not null && (problem["title"] is not null || problem["detail"] is not null || problem["errors"] is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Text(problem["title"]) ?? reason ?? "Request failed"} ({code})");
            if (Text(problem["detail"]) is { } detail)
            {
                text.Append(CultureInfo.InvariantCulture, $": {detail}");
            }

            if (problem["errors"] is JsonObject errors)
            {
                foreach (var (field, messages) in errors)
                {
                    var list = messages is JsonArray array ? array.Select(Text).Where(m => m is not null) : [Text(messages)];
                    text.Append(CultureInfo.InvariantCulture, $"\n  {field}: {string.Join(" ", list)}");
                }
            }
        }
        else if (status == HttpStatusCode.Unauthorized)
        {
            text.Append("The gateway refused the API key (401): pass the right one with --api-key or TRIBUTARY_API_KEY.");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{method} {path} answered {code} {reason}.");
        }

        if (status == HttpStatusCode.Unauthorized && problem is not null)
        {
            text.Append("\nThe key comes from --api-key, else TRIBUTARY_API_KEY, else ./run.sh's .data/admin-key.");
        }

        return new CommandFailedException(text.ToString()) { Status = status };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
}
