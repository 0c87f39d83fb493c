namespace Tributary.Simulators.WealthX;

/// <summary>The simulated WealthX Connect account, bound from <c>Simulators:WealthX</c>.</summary>
public sealed class WealthXOptions
{
    public const string Section = "Simulators:WealthX";

    /// <summary>The upper bound of <see cref="TotalDossiers"/>; records are generated lazily, so it is about time, not memory.</summary>
    public const int MaxTotalDossiers = 50_000_000;

    /// <summary>Expected in the <c>username</c> request header.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>Expected in the <c>password</c> request header.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>When set, also expected in the <c>apikey</c> request header; when empty, the header is not checked.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many dossiers the account holds at start-up; changeable at runtime through the admin API.</summary>
    public int TotalDossiers { get; set; } = 420_000;

    /// <summary>
    /// The widest range one call may ask for (WealthX's documented limit is 500); lower it to play an account with a
    /// smaller cap, whose wider requests get the 400 a real one would send. 1..500.
    /// </summary>
    public int MaxRecordsPerCall { get; set; } = WealthXRoutes.MaxRecordsPerCall;

    /// <summary>Seeds the synthetic data; the same seed gives byte-identical dossiers in every process.</summary>
    public int DataSeed { get; set; } = 1;
}
