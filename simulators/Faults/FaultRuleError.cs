namespace Tributary.Simulators.Faults;

/// <summary>Why one field of a fault rule was refused.</summary>
/// <param name="Field">The field in camelCase, as the admin API spells it (<c>kind</c>, <c>latencyMs</c>).</param>
/// <param name="Problem">The rest of the sentence, to follow the field's name: "must be 500..599, was 404."</param>
public sealed record FaultRuleError(string Field, string Problem)
{
    /// <summary>A full sentence naming the field as <paramref name="fieldName"/> renders it.</summary>
    public string Describe(Func<string, string> fieldName) => $"{fieldName(Field)} {Problem}";
}
