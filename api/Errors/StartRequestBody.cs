using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Tributary.Api.Errors;

/// <summary>
/// The optional JSON body of a route that starts work (a run, a session, a replay, a trigger): the same parameters
/// as its query string, by the same names. A body that cannot be read, or that names a field the route does not
/// take, is thrown as a <see cref="BadHttpRequestException"/>, which <see cref="BadRequestExceptionHandler"/> turns into
/// a 400 naming the field, like every other bind error; the route starts nothing.
/// </summary>
/// <remarks>
/// Read by hand rather than bound, so that a body sent without <c>Content-Type: application/json</c> (what
/// <c>curl -d '{"maxBatches":3}'</c> does) is read as JSON instead of refused with a 415, and a missing or empty body
/// means "no parameters in the body". Body types refuse unknown members
/// (<c>[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]</c>), so a misspelt field is an error,
/// never silently ignored.
/// </remarks>
public static class StartRequestBody
{
    /// <summary>
    /// Declares the route's optional body <typeparamref name="T"/> (for OpenAPI, and for <see cref="BadRequestExceptionHandler"/>
    /// to describe it). Any content type is accepted, since the body is read as JSON whatever it says (a declared
    /// <c>application/json</c> alone would make routing answer other types with a 415).
    /// </summary>
    public static RouteHandlerBuilder AcceptsStartBody<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.Accepts<T>(isOptional: true, "application/json", "*/*");

    /// <summary>The body as <typeparamref name="T"/>; null when there is none (no bytes, only whitespace, or JSON <c>null</c>).</summary>
    /// <exception cref="BadHttpRequestException">The body is not JSON, or not <typeparamref name="T"/>'s shape.</exception>
    public static async Task<T?> ReadAsync<T>(HttpContext http) where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.ContentLength == 0)
        {
            return null;
        }

        string text;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            text = await reader.ReadToEndAsync(http.RequestAborted);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(text, options);
        }
        catch (JsonException exception)
        {
            // The framework's own wording, so the handler reads it as it reads a bound body's failure.
            throw new BadHttpRequestException($"Failed to read parameter \"{typeof(T).Name} body\" from the request body as JSON.", StatusCodes.Status400BadRequest, exception);
        }
    }

    /// <summary>
    /// The value of <paramref name="name"/> given in the query (<paramref name="query"/>) or the body
    /// (<paramref name="body"/>); when both give one and <paramref name="same"/> says they differ, an error naming it.
    /// </summary>
    public static string? Merge(Dictionary<string, string[]> errors, string name, string? query, string? body, Func<string, string, bool>? same = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (query is null || body is null)
        {
            return query ?? body;
        }

        if (!(same ?? string.Equals)(query, body))
        {
            errors[name] = [$"Given in the query ('{query}') and in the body ('{body}') with different values; give it once, or the same in both."];
        }

        return query;
    }
}
