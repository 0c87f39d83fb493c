namespace Tributary.Simulators.AiPlatform;

/// <summary><c>/_admin/aiplatform</c>: the counts, expiring every token, and a reset. Each answers the snapshot.</summary>
public static class AiPlatformAdminEndpoints
{
    public static IEndpointRouteBuilder MapAiPlatformAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(AiPlatformRoutes.AdminPath);

        admin.MapGet("/", (AiPlatformTenant tenant) => TypedResults.Ok(tenant.Snapshot()));

        admin.MapPost("/expire-tokens", (AiPlatformTenant tenant) =>
        {
            tenant.ExpireTokens();
            return TypedResults.Ok(tenant.Snapshot());
        });

        admin.MapPost("/reset", (AiPlatformTenant tenant) =>
        {
            tenant.Reset();
            return TypedResults.Ok(tenant.Snapshot());
        });

        return endpoints;
    }
}
