using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Tributary.Api.Errors;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a wrong JSON type, a missing body, a query value
/// that is not a number) into a validation problem that names the field and the reason, instead of a bare 400.
/// </summary>
/// <remarks>
/// The framework's own messages name .NET types ("could not be converted to System.String", "parameter
/// \"ScheduleChange body\""), which mean nothing to a caller and leak internals. So a wrong type is described
/// from the serializer's contract of the endpoint's body (<see cref="ExpectedJson"/>), and parameter messages
/// keep only the parameter's name; only malformed JSON keeps the parser's sentence, which names no type.
/// </remarks>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, IOptions<JsonOptions> json) : IExceptionHandler
{
    /// <summary>How System.Text.Json words a value of the wrong JSON type (its resources are English only here).</summary>
    private const string ConversionPrefix = "The JSON value could not be converted to ";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        // The middleware clears the endpoint before calling handlers; the feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var (field, reason) = Explain(endpoint, badRequest);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Status = badRequest.StatusCode,
            Title = "The request could not be read.",
            Detail = $"{field}: {reason}",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private (string Field, string Reason) Explain(Endpoint? endpoint, BadHttpRequestException badRequest)
    {
        if (badRequest.InnerException is JsonException { } unmapped && UnmappedMember().Match(unmapped.Message) is { Success: true } member)
        {
            // A body type that refuses unknown members (JsonUnmappedMemberHandling.Disallow) met one.
            var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var takes = body is null ? null : ExpectedJson.Describe(json.Value.SerializerOptions, body);
            return (member.Groups["name"].Value, takes is null or "a JSON object"
                ? "Not a field this request takes: it takes none (send {} or no body)."
                : $"Not a field this request takes; the body must be {takes}.");
        }

        if (badRequest.InnerException is UnstorableTextException text)
        {
            return (FieldOf(text.Path), text.Reason);
        }

        if (badRequest.InnerException is JsonException jsonError)
        {
            // The reader's own exception inside means the text is not JSON; otherwise the JSON is well formed
            // but a value has the wrong type (or shape) for its field.
            return jsonError.InnerException is JsonException || !jsonError.Message.StartsWith(ConversionPrefix, StringComparison.Ordinal)
                ? (FieldOf(jsonError.Path), $"Not valid JSON here{Position(jsonError)}: {FirstSentence(jsonError.Message)}")
                : (FieldOf(jsonError.Path), WrongType(endpoint, jsonError.Path));
        }

        var parameter = ParameterMessage().Match(badRequest.Message);
        if (!parameter.Success)
        {
            return ("body", badRequest.Message);
        }

        var name = parameter.Groups["declaration"].Value.Split(' ')[^1];
        var fromBody = parameter.Groups["kind"].Value == "Implicit body inferred for" || parameter.Groups["source"].Value == "body";
        if (fromBody)
        {
            var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return ("body", body is null ? "Required: a JSON body." : $"Required: {ExpectedJson.Describe(json.Value.SerializerOptions, body)}.");
        }

        return parameter.Groups["kind"].Value switch
        {
            "Failed to bind" => (name, $"'{parameter.Groups["value"].Value}' is not {Expected(endpoint, name)}."),
            "Required" => (name, $"Required, in the {parameter.Groups["source"].Value}."),
            _ => (name, "Could not be read."),
        };
    }

    private string WrongType(Endpoint? endpoint, string? path)
    {
        var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var expected = body is null ? null : ExpectedJson.At(json.Value.SerializerOptions, body, path);
        return expected is null ? "Has the wrong JSON type for this field." : $"Must be {expected}.";
    }

    private string Expected(Endpoint? endpoint, string name)
    {
        var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
        return type is null ? "a valid value here" : ExpectedJson.Describe(json.Value.SerializerOptions, type);
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

    /// <summary>System.Text.Json's words for a member that <c>JsonUnmappedMemberHandling.Disallow</c> refuses (English resources).</summary>
    [GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any .NET member")]
    private static partial Regex UnmappedMember();

    /// <summary>
    /// The minimal-API binding messages that name a parameter: <c>Failed to bind parameter "int? count" from "abc".</c>,
    /// <c>Required parameter "string job" was not provided from query string.</c>, <c>Implicit body inferred for
    /// parameter "body" but no body was provided.</c>, <c>Failed to read parameter "T body" from the request body as JSON.</c>
    /// </summary>
    [GeneratedRegex("""^(?<kind>Failed to bind|Required|Implicit body inferred for|Failed to read) parameter "(?<declaration>[^"]+)"(?: from "(?<value>.*)"\.$| was not provided from (?<source>[^.]+)\.$)?""")]
    private static partial Regex ParameterMessage();
}
