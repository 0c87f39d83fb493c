namespace Tributary.Simulators.Faults;

/// <summary>A validated fault rule; values that do not apply to its kind are null.</summary>
/// <param name="Route">A simulated route name, or <see cref="AnyRoute"/>.</param>
/// <param name="Kind">What the fault does.</param>
/// <param name="Probability">Chance 0..1 per matching request; null means every matching request.</param>
/// <param name="Count">
/// How many times the rule fires before it stops; null means no limit. With a probability too, it caps the
/// number of firings and the probability decides each one.
/// </param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> value of a 429.</param>
/// <param name="Status">The status of a 5xx.</param>
/// <param name="LatencyMs">The delay of a latency fault.</param>
/// <param name="PathContains">When set, only requests whose path contains it (ordinal) match.</param>
public sealed record FaultRule(
    string Route,
    FaultKind Kind,
    double? Probability,
    int? Count,
    int? RetryAfterSeconds,
    int? Status,
    int? LatencyMs,
    string? PathContains = null)
{
    /// <summary>The route name that matches every simulated route.</summary>
    public const string AnyRoute = "*";

    public const int DefaultRetryAfterSeconds = 1;
    public const int DefaultStatus = 503;

    public bool Matches(string route, string path) =>
        (Route == AnyRoute || string.Equals(Route, route, StringComparison.Ordinal))
        && (PathContains is null || path.Contains(PathContains, StringComparison.Ordinal));
}
