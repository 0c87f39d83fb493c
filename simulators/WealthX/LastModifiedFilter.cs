namespace Tributary.Simulators.WealthX;

/// <summary>The optional <c>lastModifiedFrom</c>/<c>lastModifiedTo</c> bounds, both inclusive.</summary>
public sealed record LastModifiedFilter(DateOnly? From, DateOnly? To)
{
    public bool IsEmpty => From is null && To is null;

    public bool Includes(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);
}
