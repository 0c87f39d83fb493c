namespace Tributary.Simulators.WealthX;

/// <summary>Paths and simulated route names of the WealthX Connect simulator.</summary>
public static class WealthXRoutes
{
    /// <summary>Stands in for <c>https://connect.wealthx.com/rest/v1</c>: point a client's base URL here.</summary>
    public const string BasePath = "/wealthx/rest/v1";

    /// <summary><c>GET {BasePath}/alldossiers</c>.</summary>
    public const string AllDossiers = "wealthx.alldossiers";

    /// <summary>Any other path under <see cref="BasePath"/>: an empty 404, as the upstream sends.</summary>
    public const string NotFound = "wealthx.notfound";

    /// <summary>The most records one call may request.</summary>
    public const int MaxRecordsPerCall = 500;
}
