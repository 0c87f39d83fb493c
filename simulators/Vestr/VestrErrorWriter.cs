using System.Globalization;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// Injected faults carry a GraphQL error body: 429 (with <c>Retry-After</c>) <c>RATE_LIMITED</c> with
/// <c>retryAfter</c>, 5xx <c>INTERNAL_SERVER_ERROR</c>.
/// </summary>
public sealed class VestrErrorWriter : IUpstreamErrorWriter
{
    public static VestrErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var body = error.RetryAfterSeconds is { } seconds
            ? RateLimited(seconds)
            : GraphQLErrorBody.Of(
                $"The server failed with status {error.StatusCode.ToString(CultureInfo.InvariantCulture)}; try again later.",
                VestrRoutes.InternalServerError);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, VestrJsonContext.Default.GraphQLErrorBody, context.RequestAborted);
    }

    public static GraphQLErrorBody RateLimited(int seconds) => GraphQLErrorBody.Of(
        $"Too many requests; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.",
        VestrRoutes.RateLimited,
        seconds);

    /// <summary>An error-only GraphQL reply with HTTP 200, as GraphQL servers answer.</summary>
    public static IResult Json(GraphQLErrorBody body, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, VestrJsonContext.Default.GraphQLErrorBody, contentType: "application/json; charset=utf-8", statusCode: statusCode);
}
