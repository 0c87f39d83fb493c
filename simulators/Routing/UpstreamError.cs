namespace Tributary.Simulators.Routing;

/// <summary>An error the simulator sends on behalf of an upstream.</summary>
/// <param name="StatusCode">The HTTP status sent.</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> value sent with a 429, if any.</param>
public sealed record UpstreamError(int StatusCode, int? RetryAfterSeconds = null);
