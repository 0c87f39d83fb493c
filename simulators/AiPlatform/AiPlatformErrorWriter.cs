using System.Globalization;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.AiPlatform;

/// <summary>Injected faults carry the platform's JSON error body: <c>rate_limited</c> for 429, <c>unavailable</c> for 5xx.</summary>
public sealed class AiPlatformErrorWriter : IUpstreamErrorWriter
{
    public static AiPlatformErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var body = error.RetryAfterSeconds is { } seconds
            ? new AiPlatformError(AiPlatformError.RateLimited, $"Too many requests; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.")
            : new AiPlatformError(AiPlatformError.Unavailable, $"The AI platform failed with status {error.StatusCode.ToString(CultureInfo.InvariantCulture)}; try again later.");
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, AiPlatformJsonContext.Default.AiPlatformError, context.RequestAborted);
    }

    /// <summary>A handler's own error as a result.</summary>
    public static IResult Json(int statusCode, string error, string? message = null) =>
        TypedResults.Json(new AiPlatformError(error, message), AiPlatformJsonContext.Default.AiPlatformError, statusCode: statusCode);
}
