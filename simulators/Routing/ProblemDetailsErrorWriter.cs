namespace Tributary.Simulators.Routing;

/// <summary>
/// The fallback error dialect, problem+json, for routes whose upstream has no documented error body.
/// </summary>
public sealed class ProblemDetailsErrorWriter : IUpstreamErrorWriter
{
    /// <summary>The shared instance; the writer holds no state.</summary>
    public static ProblemDetailsErrorWriter Instance { get; } = new();

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var detail = error.RetryAfterSeconds is { } seconds ? $"Retry after {seconds} s." : null;
        return Results.Problem(statusCode: error.StatusCode, detail: detail).ExecuteAsync(context);
    }
}
