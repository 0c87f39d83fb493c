using Tributary.Diagnostics;

namespace Tributary.Api.Endpoints;

/// <summary>What a probe grain holds and the silo that answered.</summary>
/// <param name="Writes">How many times the value was written.</param>
/// <param name="Silo">The address of the silo hosting the probe now.</param>
public sealed record ProbeView(string Name, string? Value, int Writes, DateTimeOffset? UpdatedAt, string Silo)
{
    public static ProbeView From(ProbeReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new ProbeView(reading.Name, reading.Value, reading.Writes, reading.UpdatedAt, reading.Silo);
    }
}
