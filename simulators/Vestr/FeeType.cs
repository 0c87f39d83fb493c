namespace Tributary.Simulators.Vestr;

/// <summary>The GraphQL enum <c>FeeType</c>; on the wire <c>MANAGEMENT</c>, <c>PERFORMANCE</c>, <c>CUSTODY</c>.</summary>
public enum FeeType
{
    Management,
    Performance,
    Custody,
}

/// <summary>Wire names of <see cref="FeeType"/>.</summary>
public static class FeeTypes
{
    public static string Name(FeeType type) => type switch
    {
        FeeType.Management => "MANAGEMENT",
        FeeType.Performance => "PERFORMANCE",
        _ => "CUSTODY",
    };
}
