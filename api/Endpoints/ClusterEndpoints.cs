using Microsoft.AspNetCore.Http.HttpResults;

namespace Tributary.Api.Endpoints;

/// <summary>What the cluster looks like right now.</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cluster").WithTags("Cluster");
        group.MapGet("/silos", ListSilosAsync)
            .WithName("ListSilos")
            .WithSummary("Silos in the membership table with their status (active only unless all=true).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<SiloView>>> ListSilosAsync(IClusterClient client, bool all = false)
    {
        var entries = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: !all);
        IReadOnlyList<SiloView> silos = entries
            .Select(e => new SiloView(e.SiloAddress.ToParsableString(), e.SiloName, e.HostName, e.Status.ToString(), e.StartTime, e.IAmAliveTime))
            .OrderBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(silos);
    }
}

/// <summary>One silo as the membership table knows it.</summary>
public sealed record SiloView(string Address, string? Name, string? HostName, string Status, DateTime StartedAt, DateTime LastAliveAt);
