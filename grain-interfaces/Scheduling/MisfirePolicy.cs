namespace Tributary.Scheduling;

/// <summary>The parsed form of <see cref="MisfirePolicies"/>; state and API keep the lower-case names.</summary>
public enum MisfirePolicy
{
    /// <inheritdoc cref="MisfirePolicies.Skip"/>
    Skip,

    /// <inheritdoc cref="MisfirePolicies.Once"/>
    Once,

    /// <inheritdoc cref="MisfirePolicies.All"/>
    All,
}
