namespace Tributary.Diagnostics;

/// <summary>Durable state of a <see cref="ProbeGrain"/>.</summary>
/// <remarks>Stored rows carry this type's alias: keep it stable, a rename is a migration.</remarks>
[GenerateSerializer, Alias("Tributary.Diagnostics.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
    [Id(1)] public int Writes { get; set; }
    [Id(2)] public DateTimeOffset? UpdatedAt { get; set; }
}
