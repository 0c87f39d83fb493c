namespace Tributary.Simulators.Faults;

/// <summary>The outcome of checking one <see cref="FaultRuleSpec"/>: the rule, or the errors.</summary>
public sealed record FaultRuleCheck(FaultRule? Rule, IReadOnlyList<FaultRuleError> Errors);
