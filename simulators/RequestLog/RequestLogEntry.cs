namespace Tributary.Simulators.RequestLog;

/// <summary>One request to a simulated route, as <c>GET /_admin/requests</c> returns it.</summary>
/// <param name="Sequence">1, 2, 3... in arrival order within this process; never reused after a clear.</param>
/// <param name="TimeUtc">When the request arrived (UTC, 100 ns resolution).</param>
/// <param name="Route">The simulated route name, such as <c>wealthx.alldossiers</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and the raw query string.</param>
/// <param name="Status">The status sent; null when the connection was reset and nothing was sent.</param>
/// <param name="Fault">The injected fault kind (<c>429</c>, <c>5xx</c>, <c>latency</c>, <c>malformed</c>, <c>reset</c>), or null.</param>
/// <param name="DurationMs">Time spent in the simulator, including injected latency.</param>
public sealed record RequestLogEntry(
    long Sequence,
    DateTimeOffset TimeUtc,
    string Route,
    string Method,
    string PathAndQuery,
    int? Status,
    string? Fault,
    double DurationMs);
