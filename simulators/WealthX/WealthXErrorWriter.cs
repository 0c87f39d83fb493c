using Tributary.Simulators.Routing;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// WealthX errors are empty <c>text/plain</c> bodies: documented for 401 and 404, and assumed for injected 429
/// and 5xx since no public source shows another shape.
/// </summary>
public sealed class WealthXErrorWriter : IUpstreamErrorWriter
{
    public static WealthXErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>The same empty body as a result, for the handlers' own 401 and 404.</summary>
    public static IResult EmptyText(int statusCode) => Results.Text(string.Empty, "text/plain", statusCode: statusCode);
}
