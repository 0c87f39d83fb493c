using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tributary.Api.Endpoints;

/// <summary>Probes for load balancers and people: <c>/ping</c> and <c>/health</c>, both without a key.</summary>
public static class SystemEndpoints
{
    public static readonly string Version =
        typeof(SystemEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ping", PingAsync)
            .AllowAnonymous()
            .WithName("Ping")
            .WithTags("System")
            .WithSummary("Liveness: 200 when at least one silo is active, 503 otherwise.");

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .AllowAnonymous()
            .WithTags("System");
        return app;
    }

    private static async Task<Results<Ok<PingReply>, JsonHttpResult<PingReply>>> PingAsync(IClusterClient client, CancellationToken cancellationToken)
    {
        int silos;
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            silos = hosts.Count;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            silos = 0;
        }

        return silos > 0
            ? TypedResults.Ok(new PingReply("ok", silos, Version))
            : TypedResults.Json(new PingReply("unavailable", 0, Version), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            version = Version,
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

/// <summary>Answer of <c>/ping</c>.</summary>
public sealed record PingReply(string Status, int SilosActive, string Version);
