namespace Tributary.Simulators.Faults;

/// <summary>A rule as the admin API shows it: the rule plus how often it has fired and how many firings remain.</summary>
/// <param name="Id">Assigned when the rule is added; used to delete one rule.</param>
/// <param name="Route">The simulated route name, or <c>*</c>.</param>
/// <param name="Kind">The fault kind's wire name: <c>429</c>, <c>5xx</c>, <c>latency</c>, <c>malformed</c>, <c>reset</c>.</param>
/// <param name="Probability">Chance per matching request; null means always.</param>
/// <param name="Count">The firing limit the rule was created with; null means none.</param>
/// <param name="RetryAfterSeconds">For a 429, the <c>Retry-After</c> value.</param>
/// <param name="Status">For a 5xx, the status.</param>
/// <param name="LatencyMs">For latency, the delay.</param>
/// <param name="PathContains">When set, the rule hits only requests whose path contains it.</param>
/// <param name="Remaining">Firings left for a counted rule; null for an unlimited one.</param>
/// <param name="Fired">How many requests this rule has hit.</param>
public sealed record FaultRuleState(
    long Id,
    string Route,
    string Kind,
    double? Probability,
    int? Count,
    int? RetryAfterSeconds,
    int? Status,
    int? LatencyMs,
    string? PathContains,
    int? Remaining,
    long Fired);
