using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tributary.Api.Endpoints;

/// <summary>Probes for load balancers and people: <c>/ping</c> and <c>/health</c>, both without a key.</summary>
public static partial class SystemEndpoints
{
    public static readonly string Version =
        typeof(SystemEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ping", PingAsync)
            .AllowAnonymous()
            .WithName("Ping")
            .WithTags("System")
            .WithSummary("Liveness: 200 when at least one silo is active, 503 otherwise; the database is reported beside, on its own.");

        app.MapHealthChecks("/health", new HealthCheckOptions
            {
                ResponseWriter = WriteHealthAsync,
                // Dependencies only: the process' own liveness is /alive's.
                Predicate = check => !check.Tags.Contains(ServiceDefaults.ServiceDefaults.LiveTag),
            })
            .AllowAnonymous()
            .WithTags("System");
        return app;
    }

    private static async Task<Results<Ok<PingReply>, JsonHttpResult<PingReply>>> PingAsync(
        IClusterClient client, Npgsql.NpgsqlDataSource dataSource, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The two are asked at once and reported apart: silos go on (and answer) while our database is down.
        var silos = SilosAsync(client, loggers.CreateLogger(typeof(SystemEndpoints).FullName!), cancellationToken);
        var database = DatabaseAsync(dataSource, cancellationToken);
        var (active, reachable) = (await silos, await database);
        var reply = new PingReply(active > 0 ? "ok" : "unavailable", active, Version, reachable ? "ok" : "unreachable");
        return active > 0 ? TypedResults.Ok(reply) : TypedResults.Json(reply, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The active silos the cluster's membership knows (in the silos' memory, so it answers while the database is down).</summary>
    private static async Task<int> SilosAsync(IClusterClient client, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetGrain<Diagnostics.IMembershipViewGrain>(0).ActiveSilos().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNoSilos(logger, exception);
            return 0;
        }
    }

    private static async Task<bool> DatabaseAsync(Npgsql.NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "/ping could not ask the cluster for its silos")]
    private static partial void LogNoSilos(ILogger logger, Exception exception);

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
/// <param name="Status"><c>ok</c> when at least one silo is active.</param>
/// <param name="SilosActive">Active silos, as the cluster's membership knows them.</param>
/// <param name="Database"><c>ok</c> or <c>unreachable</c>: our PostgreSQL, on its own.</param>
public sealed record PingReply(string Status, int SilosActive, string Version, string Database);
