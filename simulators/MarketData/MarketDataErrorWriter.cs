using System.Globalization;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.MarketData;

/// <summary>Injected 429s and 5xx carry the feed's own JSON error body, so a client reads them like real ones.</summary>
public sealed class MarketDataErrorWriter : IUpstreamErrorWriter
{
    public static MarketDataErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var body = error.RetryAfterSeconds is { } seconds
            ? new MarketDataError(MarketDataError.RateLimited, $"Too many requests; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.")
            : new MarketDataError(MarketDataError.Unavailable, $"The feed failed with status {error.StatusCode.ToString(CultureInfo.InvariantCulture)}; try again later.");
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, MarketDataJsonContext.Default.MarketDataError, context.RequestAborted);
    }

    /// <summary>A handler's own error as a result.</summary>
    public static IResult Json(int statusCode, MarketDataError error) =>
        TypedResults.Json(error, MarketDataJsonContext.Default.MarketDataError, statusCode: statusCode);
}
