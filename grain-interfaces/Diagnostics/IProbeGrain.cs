namespace Tributary.Diagnostics;

/// <summary>
/// A tiny stateful grain that proves the cluster end to end: a write goes through grain storage, a read says
/// which silo answered. Operators use it after a deployment; the cluster tests use it to watch grains move.
/// </summary>
/// <remarks>Keyed by <see cref="ProbeKey.For"/>, never by the caller's raw text (hex-like string keys collide in AdoNet storage).</remarks>
[Alias("Tributary.Diagnostics.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Stores <paramref name="value"/> durably and returns the new reading.</summary>
    [Alias("Write")]
    Task<ProbeReading> Write(string value);

    /// <summary>Returns the stored value and the silo hosting the grain now.</summary>
    [Alias("Read")]
    Task<ProbeReading> Read();
}

/// <summary>What a probe holds and where it lives.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Diagnostics.ProbeReading")]
public sealed record ProbeReading(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Value,
    [property: Id(2)] int Writes,
    [property: Id(3)] DateTimeOffset? UpdatedAt,
    [property: Id(4)] string Silo);

/// <summary>Maps a user-facing probe name to its grain key.</summary>
public static class ProbeKey
{
    public const string Prefix = "probe:";

    public static string For(string name) => Prefix + name;

    public static string NameOf(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
}
