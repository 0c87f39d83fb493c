using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Tributary.Api.Errors;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a wrong type, a missing body) into a
/// validation problem that names the field and the reason, instead of a bare 400.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var (field, reason) = badRequest.InnerException switch
        {
            JsonException json => (FieldOf(json.Path), $"Not valid JSON here{Position(json)}: {FirstSentence(json.Message)}"),
            _ => ("body", badRequest.Message),
        };

        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Status = badRequest.StatusCode,
            Title = "The request could not be read.",
            Detail = $"{field}: {reason}",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    private static string Position(JsonException json) =>
        json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
