using System.Globalization;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// Injected faults look like Dropbox's: 429 (with <c>Retry-After</c>) a JSON <c>too_many_requests</c> with
/// <c>retry_after</c>; 5xx a plain-text page, as Dropbox's front end sends.
/// </summary>
public sealed class DropboxErrorWriter : IUpstreamErrorWriter
{
    public static DropboxErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(DropboxErrors.TooMany("too_many_requests", seconds), context.RequestAborted);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(
            $"Dropbox failed with status {error.StatusCode.ToString(CultureInfo.InvariantCulture)}; try again later.",
            context.RequestAborted);
    }
}
