namespace Tributary.Simulators.Vestr;

/// <summary>The simulated Vestr GraphQL API (fee deductions), bound from <c>Simulators:Vestr</c>.</summary>
public sealed class VestrOptions
{
    public const string Section = "Simulators:Vestr";

    public const int MaxProducts = 1_000;
    public const int MaxDays = 3_660;

    /// <summary>Products (AMCs, trackers) whose fees are deducted.</summary>
    public int Products { get; set; } = 20;

    /// <summary>Days of history, ending today (UTC, by the host's <see cref="TimeProvider"/>).</summary>
    public int Days { get; set; } = 400;

    /// <summary>Seeds products and every deduction; the same seed gives the same data in every process.</summary>
    public int DataSeed { get; set; } = 1;
}
