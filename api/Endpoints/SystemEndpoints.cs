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
        IClusterClient client, Npgsql.NpgsqlDataSource dataSource, Storage.Analysis.AnalysisTaskStore tasks, IConfiguration configuration,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The two are asked at once and reported apart: silos go on (and answer) while our database is down.
        var silos = SilosAsync(client, loggers.CreateLogger(typeof(SystemEndpoints).FullName!), cancellationToken);
        var database = DatabaseAsync(dataSource, cancellationToken);
        var (active, reachable) = (await silos, await database);
        var load = reachable ? await TaskLoadAsync(tasks, cancellationToken) : null;
        var reply = new PingReply(active > 0 ? "ok" : "unavailable", active, Version, reachable ? "ok" : "unreachable")
        {
            Workers = active * configuration.GetValue("Tasks:WorkersPerSilo", 10),
            WorkersStarted = load?.SectionsRunning,
            QueueSize = load?.SectionsQueued,
            TotalTasks = load?.TotalTasks,
            Storage = new PingStorage(load is null ? "unreachable" : "ok"),
        };
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

    private static async Task<Storage.Analysis.TaskLoad?> TaskLoadAsync(Storage.Analysis.AnalysisTaskStore tasks, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            return await tasks.LoadAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return null;
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
public sealed record PingReply(string Status, int SilosActive, string Version, string Database)
{
    /// <summary>The seed's task service fields: section workers of the cluster (<c>Tasks:WorkersPerSilo</c> x active silos).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("workers")]
    public int Workers { get; init; }

    /// <summary>Sections being analysed now.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("workers_started")]
    public long? WorkersStarted { get; init; }

    /// <summary>Sections of unfinished tasks waiting for a worker.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("queue_size")]
    public long? QueueSize { get; init; }

    /// <summary>Analysis tasks kept (until <c>Tasks:RetentionDays</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("total_tasks")]
    public long? TotalTasks { get; init; }

    /// <summary>Where tasks are kept, and whether it answers: <c>{"status": "ok" | "unreachable"}</c>.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("storage")]
    public PingStorage Storage { get; init; } = new("ok");
}

/// <summary>The task storage's state in <see cref="PingReply"/>.</summary>
public sealed record PingStorage([property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status);
