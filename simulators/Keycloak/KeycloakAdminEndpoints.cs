using Tributary.Simulators.Admin;

namespace Tributary.Simulators.Keycloak;

/// <summary><c>/_admin/keycloak</c>: counts, the server clock's skew, expiring every access token, and a reset.</summary>
public static class KeycloakAdminEndpoints
{
    public static IEndpointRouteBuilder MapKeycloakAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(KeycloakRoutes.AdminPath);

        admin.MapGet("/", (KeycloakRealm realm) => TypedResults.Ok(realm.Snapshot()));

        admin.MapPut("/clock", async (HttpRequest request, KeycloakRealm realm) =>
        {
            var body = await AdminBody.ReadAsync<ClockRequest>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            const int max = KeycloakOptions.MaxClockSkewSeconds;
            if (body.Value?.SkewSeconds is not { } skew)
            {
                return AdminBody.Invalid("skewSeconds", "skewSeconds is required: seconds the realm's clock runs ahead of the host's (negative: behind).");
            }

            if (skew is < -max or > max)
            {
                return AdminBody.Invalid("skewSeconds", $"skewSeconds must be {-max}..{max}; was {skew}.");
            }

            realm.ClockSkewSeconds = skew;
            return TypedResults.Ok(realm.Snapshot());
        });

        admin.MapPost("/expire-tokens", (KeycloakRealm realm) =>
        {
            realm.ExpireAccessTokens();
            return TypedResults.Ok(realm.Snapshot());
        });

        admin.MapPost("/reset", (KeycloakRealm realm) =>
        {
            realm.Reset();
            return TypedResults.Ok(realm.Snapshot());
        });

        return endpoints;
    }

    /// <summary>Body of <c>PUT /_admin/keycloak/clock</c>.</summary>
    public sealed record ClockRequest(int? SkewSeconds);
}
