using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// Dropbox's error replies: 409 route errors <c>{"error_summary":"path/not_found/..","error":{...}}</c>, 400 plain
/// text for a request the API cannot read, 401 auth errors, and the 429s of rate limits and write contention.
/// </summary>
public static class DropboxErrors
{
    private const string JsonType = "application/json";

    /// <summary>A 409 whose error is <paramref name="error"/> and whose summary is <paramref name="summary"/> plus <c>/..</c>.</summary>
    public static IResult Route(string summary, JsonObject error) => Json(StatusCodes.Status409Conflict, summary, error);

    /// <summary><c>{".tag":outer, outer:{".tag":inner}}</c>, e.g. <c>path/not_found</c>.</summary>
    public static JsonObject Nested(string outer, string inner) => new()
    {
        [".tag"] = outer,
        [outer] = new JsonObject { [".tag"] = inner },
    };

    /// <summary>A 409 <c>path/not_found</c> style error: <c>{".tag":outer, outer:{".tag":inner}}</c>.</summary>
    public static IResult Route(string outer, string inner) => Route($"{outer}/{inner}", Nested(outer, inner));

    /// <summary>A 409 carrying only a tag: <c>{".tag":"content_hash_mismatch"}</c>.</summary>
    public static IResult RouteTag(string tag) => Route(tag, new JsonObject { [".tag"] = tag });

    /// <summary>A 400 text/plain reply, as Dropbox answers a body or argument it cannot read.</summary>
    public static IResult BadInput(string function, string reason) => TypedResults.Text(
        $"Error in call to API function \"{function}\": {reason}",
        "text/plain; charset=utf-8",
        statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A 401 <c>invalid_access_token</c>, <c>expired_access_token</c> or <c>missing_scope</c>.</summary>
    public static IResult Auth(string tag) => Json(StatusCodes.Status401Unauthorized, tag, new JsonObject { [".tag"] = tag });

    /// <summary>The 429 body of a rate limit or a write contention; <paramref name="retryAfter"/> null leaves <c>retry_after</c> out.</summary>
    public static string TooMany(string reason, int? retryAfter)
    {
        var error = new JsonObject { ["reason"] = new JsonObject { [".tag"] = reason } };
        if (retryAfter is { } seconds)
        {
            error["retry_after"] = seconds;
        }

        return new JsonObject { ["error_summary"] = $"{reason}/..", ["error"] = error }.ToJsonString();
    }

    /// <summary>A 429 for write contention, with <c>Retry-After</c> only when <paramref name="retryAfter"/> is set.</summary>
    public static IResult TooManyWrites(HttpContext context, int? retryAfter)
    {
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Text(TooMany("too_many_write_operations", retryAfter), JsonType, statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static ContentHttpResult Json(int status, string summary, JsonObject error) => TypedResults.Text(
        new JsonObject { ["error_summary"] = $"{summary}/..", ["error"] = error }.ToJsonString(),
        JsonType,
        statusCode: status);
}
