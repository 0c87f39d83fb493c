namespace Tributary.Diagnostics;

/// <summary>Registers the diagnostics domain on a silo.</summary>
public static class DiagnosticsDomain
{
    /// <summary>Nothing to register beyond the grain class itself, which Orleans discovers; kept so every domain has the same entry point.</summary>
    public static ISiloBuilder AddDiagnosticsDomain(this ISiloBuilder silo) => silo;
}
