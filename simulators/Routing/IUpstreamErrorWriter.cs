namespace Tributary.Simulators.Routing;

/// <summary>
/// Writes an error response body in the dialect of one upstream (empty text for WealthX, JSON envelopes for
/// others), so that an injected 429 or 5xx is indistinguishable from the real service's.
/// </summary>
public interface IUpstreamErrorWriter
{
    /// <summary>Writes the body; the status code and any <c>Retry-After</c> header are already set.</summary>
    Task WriteAsync(HttpContext context, UpstreamError error);
}
