namespace Tributary.Simulators.Faults;

/// <summary>
/// Fault rules active from start-up, bound from the array <c>Simulators:Faults</c>, and the seed of the random
/// source that decides probabilistic rules, <c>Simulators:FaultSeed</c>.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>The configuration array of rules.</summary>
    public const string RulesSection = "Simulators:Faults";

    /// <summary>The configuration key of the seed.</summary>
    public const string SeedKey = "Simulators:FaultSeed";

    public const int DefaultSeed = 20_250_131;

    public List<FaultRuleSpec> Rules { get; set; } = [];

    /// <summary>
    /// Seeds the probability draws, so the same sequence of requests meets the same faults on every run.
    /// </summary>
    public int Seed { get; set; } = DefaultSeed;
}
