using Microsoft.Extensions.Options;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.WealthX;

/// <summary>The WealthX Connect REST API under <see cref="WealthXRoutes.BasePath"/>.</summary>
public static class WealthXEndpoints
{
    public static IEndpointRouteBuilder MapWealthX(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(WealthXRoutes.BasePath);

        api.MapGet("/alldossiers", ReadAllDossiers)
            .AsSimulatedRoute(endpoints, WealthXRoutes.AllDossiers, WealthXErrorWriter.Instance);

        // Anything else under the base path gets the upstream's empty 404 rather than the host's default.
        api.Map("/{**rest}", () => WealthXErrorWriter.EmptyText(StatusCodes.Status404NotFound))
            .AsSimulatedRoute(endpoints, WealthXRoutes.NotFound, WealthXErrorWriter.Instance);

        return endpoints;
    }

    private static IResult ReadAllDossiers(HttpRequest request, DossierCatalog catalog, IOptions<WealthXOptions> options)
    {
        if (!IsAuthenticated(request.Headers, options.Value))
        {
            return WealthXErrorWriter.EmptyText(StatusCodes.Status401Unauthorized);
        }

        var (query, error) = AllDossiersQuery.Parse(request.Query, options.Value.MaxRecordsPerCall);
        if (query is null)
        {
            return TypedResults.Json(error!, WealthXJsonContext.Default.WealthXError, statusCode: StatusCodes.Status400BadRequest);
        }

        var page = catalog.ReadPage(query.FromIndex, query.ToIndex, query.Filter);
        return TypedResults.Json(page, WealthXJsonContext.Default.DossierPage);
    }

    private static bool IsAuthenticated(IHeaderDictionary headers, WealthXOptions options) =>
        headers["username"] == options.Username
        && headers["password"] == options.Password
        && (string.IsNullOrEmpty(options.ApiKey) || headers["apikey"] == options.ApiKey);
}
