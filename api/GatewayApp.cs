using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using Tributary.Api.Analysis;
using Tributary.Api.Auth;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;
using Tributary.Api.Events;
using Tributary.Api.Health;
using Tributary.Api.Sync;
using Tributary.Api.TrueLayer;
using Tributary.Api.Vestr;
using Tributary.Api.WealthX;
using Tributary.Api.WebConsole;
using Tributary.ServiceDefaults;
using Tributary.Storage;
using Tributary.Storage.Analysis;
using Tributary.Storage.Configuration;
using Tributary.Storage.Dossiers;
using Tributary.Storage.Events;
using Tributary.Storage.FinTrack;
using Tributary.Storage.Jobs;
using Tributary.Storage.Relay;
using Tributary.Storage.Secrets;
using Tributary.Storage.TrueLayer;
using Tributary.Storage.Vestr;

namespace Tributary.Api;

/// <summary>
/// The gateway: an Orleans client behind ASP.NET Core minimal APIs. <see cref="Build"/> is the whole
/// composition, so the tests host exactly what production runs, on a real port.
/// </summary>
public static partial class GatewayApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the gateway. <paramref name="configure"/> lets a test add configuration before services are read.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings sit beside the assembly: the gateway reads the same appsettings.json from any working directory.
        // The application is the gateway wherever it is hosted (a test process too): the console's static assets are found by its name.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(GatewayApp).Assembly.GetName().Name,
        });
        // A build's output serves the console's assets (blazor.web.js, console.css) from where the build keeps them, in any
        // environment; a published gateway has them in wwwroot and no manifest, and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);
        var configuration = builder.Configuration;

        // Fail at start, with sentences naming the settings, rather than on the first request.
        var connectionString = DatabaseConnection.Resolve(configuration);

        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]))
        {
            var port = configuration["TRIBUTARY_API_PORT"];
            builder.WebHost.UseUrls(string.IsNullOrEmpty(port) ? DefaultUrl : $"http://127.0.0.1:{port}");
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = configuration["Cluster:ClusterId"] ?? "tributary";
                options.ServiceId = configuration["Cluster:ServiceId"] ?? "tributary";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(configuration.GetSection("Cluster:Gateway"));
            // A call whose silo was killed under it never gets an answer: give up on it soon enough to try another silo.
            client.Services.AddOptions<ClientMessagingOptions>()
                .Configure<IOptions<FailoverOptions>>((messaging, failover) => messaging.ResponseTimeout = failover.Value.CallTimeout);
            client.AddDashboard();
            client.UseConnectionRetryFilter<ClusterConnectionRetry>();
        });

        builder.AddServiceDefaults("tributary-gateway");
        builder.Services.AddSingleton(_ => TributaryDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JobRunStore>();
        builder.Services.AddDossierStore(builder.Configuration);
        builder.Services.AddSingleton<WealthXStatusSource>();
        builder.Services.AddSingleton<Outbox>();
        // Stored secrets (webhook secrets) through Data Protection, its key ring in PostgreSQL sealed by DataProtection:KeyRingKey.
        builder.Services.AddSecretProtection(configuration);
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddTrueLayerStore();
        builder.Services.AddSingleton<EnrichmentStore>();
        builder.Services.AddVestrFeeStore();
        builder.Services.AddRelayStore();
        builder.Services.AddAnalysisTaskStore();
        builder.Services.AddSingleton<KnownJobs>();
        builder.Services.AddSingleton<PortfolioImporter>();
        builder.Services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ImportOptions>, ImportOptionsValidator>();
        // Every body is bounded well below Kestrel's 30 MB: commands are small JSON; imports raise it to their own bound.
        builder.Services.AddOptions<RequestBodyOptions>().Bind(configuration.GetSection(RequestBodyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RequestBodyOptions>, RequestBodyOptionsValidator>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetSection(RequestBodyOptions.Section).Get<RequestBodyOptions>()?.MaxBytes
                ?? new RequestBodyOptions().MaxBytes);
        builder.Services.AddSingleton<HoldingsReader>();
        builder.Services.AddSingleton<OutboxNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxNotifier>());
        builder.Services.AddHostedService<WebhookDeliveryService>();
        builder.Services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        builder.Services.AddSingleton(sp => new WebhookTargetGuard(sp.GetRequiredService<IOptions<WebhookOptions>>()));
        builder.Services.AddHttpClient(WebhookDeliveryService.HttpClientName, (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout)
            // The guard connects, to an address it checked; no redirects (a 3xx is a failed delivery), no proxy (it would connect instead).
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookTargetGuard>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
            });
        builder.Services.AddOptions<GatewayAuthOptions>().Bind(configuration.GetSection(GatewayAuthOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayAuthOptions>, GatewayAuthOptionsValidator>();
        builder.Services.AddSingleton<ApiKeyRegistry>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            // The web console's cookie: never the default scheme, named only by the console's own endpoints.
            .AddWebConsoleCookie();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyScopes.Policies.Operator, p => p.RequireClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Operator))
            .AddPolicy(ApiKeyScopes.Policies.Admin, p => p.RequireClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin))
            .AddPolicy(WebConsoleSetup.Policy, p => p.AddAuthenticationSchemes(WebConsoleSetup.Scheme).RequireClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Operator))
            // Every endpoint needs a key unless it says AllowAnonymous (the probes).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Operator).Build());

        builder.Services.AddWebConsole();
        builder.Services.AddRequestProblems();
        builder.Services.AddRequestRateLimits(configuration);
        builder.Services.AddOptions<FailoverOptions>().Bind(configuration.GetSection(FailoverOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FailoverOptions>, FailoverOptionsValidator>();
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.AllowTrailingCommas = false;
            // No NUL, no lone surrogate in any string of a body: a 400 naming the field, never a 500 from PostgreSQL.
            options.SerializerOptions.Converters.Add(new StorableStringConverter());
        });

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ClusterHealthCheck>("cluster");
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityTransformer>());

        var app = builder.Build();

        // Every setting validated on start (Auth:*, DataProtection:*, Webhooks:*, Gateway:Failover:*, the stores'), checked now: a bad one stops the
        // gateway here, with its sentences, before it listens or joins the cluster.
        ConfigurationCheck.ValidateNow(app.Services);
        app.UseRequestProblems();
        app.UseStorableText();
        app.UseAuthentication();
        // After authentication, so a request counts against its key as well as its address; before authorization, so
        // requests without a valid key are limited (by address) too.
        app.UseRateLimiter();
        app.UseAuthorization();
        // The console's forms (sign-in) carry an antiforgery token; API routes bind no forms and are not affected.
        app.UseAntiforgery();
        // Inside the exception handler, around every endpoint: a silo's death or a database outage is retried or a 503.
        app.UseMiddleware<ClusterFailover>();

        app.MapSystemEndpoints();
        // /alive for probes (anonymous); /metrics for Prometheus, admin only: it describes the whole deployment.
        app.MapDefaultEndpoints(ApiKeyScopes.Policies.Admin);
        app.MapOpenApi("/openapi/{documentName}.json");
        // The docs UI lives at /docs/ and asks for "openapi/v1.json" relative to itself.
        app.MapOpenApi("/docs/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Tributary API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        app.UseDashboardGuard("/dashboard");
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(ApiKeyScopes.Policies.Admin);

        // One line per domain.
        app.MapClusterEndpoints();
        app.MapDiagnosticsEndpoints();
        app.MapJobEndpoints();
        app.MapEventEndpoints();
        app.MapWebhookEndpoints();
        app.MapMeEndpoints();
        app.MapScheduleEndpoints();
        app.MapPortfolioEndpoints();
        app.MapWealthXEndpoints();
        app.MapTrueLayerEndpoints();
        app.MapVestrEndpoints();
        app.MapSyncEndpoints();
        app.MapTaskEndpoints();
        app.MapWebConsole();
        return app;
    }
}
