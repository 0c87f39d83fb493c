namespace Tributary.Simulators.AiPlatform;

/// <summary>Paths, headers and simulated route names of the AI platform simulator.</summary>
/// <remarks>
/// The AI platform publishes no protocol we could follow, so the whole contract is ours (simulators/README.md); a
/// real platform's payloads would replace the types in this folder.
/// </remarks>
public static class AiPlatformRoutes
{
    /// <summary>The API root: point a client's base URL at <c>http://host:port/aiplatform/</c>.</summary>
    public const string BasePath = "/aiplatform";

    /// <summary><c>POST {BasePath}/auth/login</c>: a bearer token for the user.</summary>
    public const string Login = "aiplatform.login";

    /// <summary><c>POST {BasePath}/v1/analyses</c>: the analysis of one section.</summary>
    public const string Analyses = "aiplatform.analyses";

    /// <summary>The admin API of this simulator.</summary>
    public const string AdminPath = "/_admin/aiplatform";

    /// <summary>The request header that carries the platform's API key.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>The request header that names the tenant.</summary>
    public const string TenantHeader = "X-Tenant-Id";

    /// <summary>The model every analysis names.</summary>
    public const string Model = "sim-analyst-1";
}
