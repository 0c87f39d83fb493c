using System.Globalization;

namespace Tributary.Simulators.Faults;

/// <summary>
/// Turns a <see cref="FaultRuleSpec"/> into a <see cref="FaultRule"/>, or says which fields are wrong. One
/// validator serves configuration (failing start-up) and the admin API (400 problem+json).
/// </summary>
/// <remarks>
/// A value that does not apply to the rule's kind (say <c>latencyMs</c> on a 429) is refused rather than ignored:
/// a test that sets it believes it has an effect.
/// </remarks>
public static class FaultRuleValidator
{
    public const int MaxLatencyMs = 600_000;
    public const int MaxRetryAfterSeconds = 86_400;
    public const int MaxPathContainsLength = 2_048;

    public static FaultRuleCheck Check(FaultRuleSpec? spec, IReadOnlyCollection<string> knownRoutes)
    {
        if (spec is null)
        {
            return new FaultRuleCheck(null, [new FaultRuleError("rule", "is missing: send an object with at least route and kind.")]);
        }

        var errors = new List<FaultRuleError>();
        var route = spec.Route?.Trim();
        if (string.IsNullOrEmpty(route))
        {
            errors.Add(new FaultRuleError("route", $"is required: a simulated route name ({Known(knownRoutes)}) or '{FaultRule.AnyRoute}' for every route."));
        }
        else if (route != FaultRule.AnyRoute && !knownRoutes.Contains(route))
        {
            errors.Add(new FaultRuleError("route", $"must name a simulated route ({Known(knownRoutes)}) or be '{FaultRule.AnyRoute}'; was '{route}'."));
        }

        if (!FaultKindNames.TryParse(spec.Kind, out var kind))
        {
            var was = spec.Kind is null ? "missing" : $"'{spec.Kind}'";
            errors.Add(new FaultRuleError("kind", $"must be one of {string.Join(", ", FaultKindNames.All)}; was {was}."));
        }

        if (spec.Probability is { } probability && (double.IsNaN(probability) || probability < 0 || probability > 1))
        {
            errors.Add(new FaultRuleError("probability", $"must be between 0 and 1; was {probability.ToString(CultureInfo.InvariantCulture)}."));
        }

        if (spec.Count is < 1)
        {
            errors.Add(new FaultRuleError("count", $"must be 1 or more (omit it for no limit); was {spec.Count}."));
        }

        CheckRetryAfter(spec, kind, errors);
        CheckStatus(spec, kind, errors);
        CheckLatency(spec, kind, errors);
        CheckPathContains(spec, errors);

        if (errors.Count > 0 || kind is null || route is null)
        {
            return new FaultRuleCheck(null, errors);
        }

        var rule = new FaultRule(
            Route: route,
            Kind: kind.Value,
            Probability: spec.Probability,
            Count: spec.Count,
            RetryAfterSeconds: kind == FaultKind.TooManyRequests ? spec.RetryAfterSeconds ?? FaultRule.DefaultRetryAfterSeconds : null,
            Status: kind == FaultKind.ServerError ? spec.Status ?? FaultRule.DefaultStatus : null,
            LatencyMs: kind == FaultKind.Latency ? spec.LatencyMs : null,
            PathContains: spec.PathContains);
        return new FaultRuleCheck(rule, errors);
    }

    private static void CheckRetryAfter(FaultRuleSpec spec, FaultKind? kind, List<FaultRuleError> errors)
    {
        if (spec.RetryAfterSeconds is not { } seconds)
        {
            return;
        }

        if (kind is not null and not FaultKind.TooManyRequests)
        {
            errors.Add(new FaultRuleError("retryAfterSeconds", $"applies only to kind '{FaultKindNames.TooManyRequests}'."));
        }
        else if (seconds is < 0 or > MaxRetryAfterSeconds)
        {
            errors.Add(new FaultRuleError("retryAfterSeconds", $"must be 0..{MaxRetryAfterSeconds}; was {seconds}."));
        }
    }

    private static void CheckStatus(FaultRuleSpec spec, FaultKind? kind, List<FaultRuleError> errors)
    {
        if (spec.Status is not { } status)
        {
            return;
        }

        if (kind is not null and not FaultKind.ServerError)
        {
            errors.Add(new FaultRuleError("status", $"applies only to kind '{FaultKindNames.ServerError}'."));
        }
        else if (status is < 500 or > 599)
        {
            errors.Add(new FaultRuleError("status", $"must be 500..599; was {status}."));
        }
    }

    private static void CheckLatency(FaultRuleSpec spec, FaultKind? kind, List<FaultRuleError> errors)
    {
        if (kind == FaultKind.Latency && spec.LatencyMs is null)
        {
            errors.Add(new FaultRuleError("latencyMs", $"is required for kind '{FaultKindNames.Latency}': the delay in milliseconds."));
            return;
        }

        if (spec.LatencyMs is not { } latency)
        {
            return;
        }

        if (kind is not null and not FaultKind.Latency)
        {
            errors.Add(new FaultRuleError("latencyMs", $"applies only to kind '{FaultKindNames.Latency}'."));
        }
        else if (latency is < 1 or > MaxLatencyMs)
        {
            errors.Add(new FaultRuleError("latencyMs", $"must be 1..{MaxLatencyMs}; was {latency}."));
        }
    }

    private static void CheckPathContains(FaultRuleSpec spec, List<FaultRuleError> errors)
    {
        if (spec.PathContains is not { } text)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FaultRuleError("pathContains", "must be text the request path contains, such as '/accounts/<id>/' (omit it to match every path); was empty."));
        }
        else if (text.Length > MaxPathContainsLength)
        {
            errors.Add(new FaultRuleError("pathContains", $"must be at most {MaxPathContainsLength} characters; was {text.Length}."));
        }
    }

    private static string Known(IReadOnlyCollection<string> knownRoutes) =>
        knownRoutes.Count == 0 ? "none are mapped" : string.Join(", ", knownRoutes.Select(name => $"'{name}'"));
}
