namespace Tributary.Simulators.TrueLayer;

/// <summary>The Data API envelope: <c>{"results":[...],"status":"Succeeded"}</c>.</summary>
public sealed record DataResults<T>(IReadOnlyList<T> Results, string Status = DataResults<T>.Succeeded)
{
    public const string Succeeded = "Succeeded";
}
