using System.Globalization;
using Tributary.Simulators.Admin;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// <c>/_admin/wealthx</c>: change the simulated data set while it is served, so tests can make dossiers appear
/// or change.
/// </summary>
public static class WealthXAdminEndpoints
{
    public static IEndpointRouteBuilder MapWealthXAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/_admin/wealthx");

        admin.MapGet("/", (DossierCatalog catalog) => TypedResults.Ok(State(catalog)));

        admin.MapPut("/total", async Task<IResult> (HttpRequest request, DossierCatalog catalog, ILogger<DossierCatalog> logger) =>
        {
            var body = await AdminBody.ReadAsync<TotalChange>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            if (body.Value?.TotalDossiers is not { } total || total < 0 || total > WealthXOptions.MaxTotalDossiers)
            {
                return AdminBody.Invalid(
                    "totalDossiers",
                    $"totalDossiers must be 0..{WealthXOptions.MaxTotalDossiers}; was {body.Value?.TotalDossiers?.ToString(CultureInfo.InvariantCulture) ?? "missing"}.");
            }

            catalog.SetTotal(total);
            SimulatorLog.WealthXTotalChanged(logger, total);
            return TypedResults.Ok(State(catalog));
        });

        admin.MapPost("/dossiers/{id:int}/revisions", async Task<IResult> (int id, HttpRequest request, DossierCatalog catalog, ILogger<DossierCatalog> logger) =>
        {
            var body = await AdminBody.ReadAsync<RevisionRequest>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var index = DossierIds.ToIndex(id);
            if (index < 1 || index > catalog.TotalDossiers)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    detail: $"No dossier has ID {id}: IDs run from {DossierIds.FromIndex(1)} to {DossierIds.FromIndex(catalog.TotalDossiers)}.");
            }

            DateOnly? lastModified = null;
            if (!string.IsNullOrEmpty(body.Value?.LastModified))
            {
                if (!DateOnly.TryParseExact(body.Value.LastModified, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return AdminBody.Invalid("lastModified", $"lastModified must be a date in yyyy-MM-dd form; was '{body.Value.LastModified}'.");
                }

                lastModified = date;
            }

            var revision = catalog.Revise(index, lastModified);
            SimulatorLog.WealthXDossierRevised(logger, id, revision.Number);
            return TypedResults.Ok(new RevisionState(id, index, revision.Number, revision.LastModified.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        });

        admin.MapPost("/reset", (DossierCatalog catalog) =>
        {
            catalog.Reset();
            return TypedResults.Ok(State(catalog));
        });

        return endpoints;
    }

    private static CatalogState State(DossierCatalog catalog) => new(
        catalog.TotalDossiers,
        catalog.ConfiguredTotalDossiers,
        [
            .. catalog.Revisions.Select(pair => new RevisionState(
                DossierIds.FromIndex(pair.Key),
                pair.Key,
                pair.Value.Number,
                pair.Value.LastModified.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
        ]);

    /// <summary>Body of <c>PUT /_admin/wealthx/total</c>.</summary>
    public sealed record TotalChange(int? TotalDossiers);

    /// <summary>Body of <c>POST /_admin/wealthx/dossiers/{id}/revisions</c>; empty means "modified today".</summary>
    public sealed record RevisionRequest(string? LastModified);

    /// <summary>One revised dossier.</summary>
    public sealed record RevisionState(int Id, int Index, int Revision, string LastModified);

    /// <summary>What <c>GET /_admin/wealthx</c> returns.</summary>
    public sealed record CatalogState(int TotalDossiers, int ConfiguredTotalDossiers, IReadOnlyList<RevisionState> Revisions);
}
