namespace Tributary.Simulators.Faults;

/// <summary>
/// A fault rule as written in configuration (<c>Simulators:Faults:0:Kind</c>) or sent to the admin API; it is
/// checked by <see cref="FaultRuleValidator"/> before it becomes a <see cref="FaultRule"/>.
/// </summary>
public sealed class FaultRuleSpec
{
    /// <summary>The simulated route name, or <c>*</c> for every route.</summary>
    public string? Route { get; set; }

    /// <summary>One of <c>429</c>, <c>5xx</c>, <c>latency</c>, <c>malformed</c>, <c>reset</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Chance 0..1 that a matching request gets the fault; omitted means always.</summary>
    public double? Probability { get; set; }

    /// <summary>How many matching requests get the fault before the rule stops; omitted means no limit.</summary>
    public int? Count { get; set; }

    /// <summary>For <c>429</c>: the <c>Retry-After</c> seconds (default 1).</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>For <c>5xx</c>: the status sent, 500..599 (default 503).</summary>
    public int? Status { get; set; }

    /// <summary>For <c>latency</c>: the added delay in milliseconds (required).</summary>
    public int? LatencyMs { get; set; }

    /// <summary>
    /// Optional: the rule matches only requests whose path contains this text (ordinal, case-sensitive), such as
    /// <c>/accounts/ab12.../</c> to fail one account of a route for good. For a request with a <c>Dropbox-API-Arg</c>
    /// header (Dropbox's uploads) the text is searched in the path followed by that header, so
    /// <c>12345-20261130170000-INTE100F.xlsx</c> fails that file's uploads.
    /// </summary>
    public string? PathContains { get; set; }
}
