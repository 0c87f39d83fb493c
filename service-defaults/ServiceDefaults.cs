using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tributary.ServiceDefaults.Logging;

namespace Tributary.ServiceDefaults;

/// <summary>
/// One place for what every Tributary process needs as a service (the eShop "service defaults"): OpenTelemetry logs,
/// metrics and traces (Orleans', ASP.NET Core's, HttpClient's, the runtime's and ours), a Prometheus scrape endpoint,
/// and the two probes: <c>/alive</c> (the process is up) apart from <c>/health</c> (its dependencies answer).
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The meters exported besides the framework's: Orleans' own and the job runtime's.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", "Tributary.Jobs"];

    /// <summary>The activity sources traced besides ASP.NET Core and HttpClient: Orleans' calls and the job runtime's batches.</summary>
    public static readonly string[] ActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Tributary.Jobs"];

    /// <summary>The health-check tag of the liveness checks, which <c>/alive</c> runs (and nothing else).</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// Adds telemetry and the liveness check. Metrics are always kept (Prometheus); traces and OpenTelemetry logs are
    /// recorded, and sent with the metrics to an OTLP collector, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
    /// standard OpenTelemetry variables configure it further).
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName) where TBuilder : IHostApplicationBuilder
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(ServiceDefaults).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(Meters)
                .AddPrometheusExporter());
        if (otlp)
        {
            // Traces and OpenTelemetry logs only have somewhere to go over OTLP. Without a collector they are not
            // recorded at all: a listener on every Orleans call, request and HTTP call that nobody reads cost a busy
            // silo several per cent of its CPU.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(ActivitySources)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy("The process is up."), [LiveTag]);
        // Last: it wraps every logging provider registered so far (console, OpenTelemetry, the log file) to mask secrets.
        builder.AddLogFilesAndRedaction();
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c> (anonymous: only the liveness checks) and <c>/metrics</c> (the Prometheus text format).
    /// </summary>
    /// <param name="metricsPolicy">The authorization policy <c>/metrics</c> needs; null for none (a silo's internal health port).</param>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app, string? metricsPolicy)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .WithMetadata(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (metricsPolicy is null)
        {
            metrics.WithMetadata(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
        }
        else
        {
            metrics.RequireAuthorization(metricsPolicy);
        }

        return app;
    }

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/alive") || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/ping");
}
