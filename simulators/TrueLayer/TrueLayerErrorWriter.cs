using System.Globalization;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// Injected faults carry TrueLayer's error body: 429 <c>provider_too_many_requests</c>, 504 <c>provider_timeout</c>,
/// any other 5xx <c>provider_error</c>.
/// </summary>
public sealed class TrueLayerErrorWriter : IUpstreamErrorWriter
{
    public static TrueLayerErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var status = error.StatusCode.ToString(CultureInfo.InvariantCulture);
        var body = error switch
        {
            { RetryAfterSeconds: { } seconds } => new TrueLayerError(
                TrueLayerError.TooManyRequests,
                $"The provider is rate limiting requests; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s."),
            { StatusCode: StatusCodes.Status504GatewayTimeout } => new TrueLayerError(
                TrueLayerError.ProviderTimeout,
                "The provider did not answer in time; try again later."),
            _ => new TrueLayerError(
                TrueLayerError.ProviderError,
                $"The provider failed with status {status}; try again later."),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, TrueLayerJsonContext.Default.TrueLayerError, context.RequestAborted);
    }

    /// <summary>A handler's own error as a result.</summary>
    public static IResult Json(int statusCode, TrueLayerError error) =>
        TypedResults.Json(error, TrueLayerJsonContext.Default.TrueLayerError, statusCode: statusCode);

    public static IResult Json(int statusCode, string error, string description) =>
        Json(statusCode, new TrueLayerError(error, description));
}
