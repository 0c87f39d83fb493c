using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Simulators.AiPlatform;
using Tributary.Simulators.Dropbox;
using Tributary.Simulators.Faults;
using Tributary.Simulators.Keycloak;
using Tributary.Simulators.MarketData;
using Tributary.Simulators.RequestLog;
using Tributary.Simulators.Routing;
using Tributary.Simulators.TrueLayer;
using Tributary.Simulators.Vestr;
using Tributary.Simulators.WealthX;

namespace Tributary.Simulators;

/// <summary>
/// Builds the simulators process: one ASP.NET Core app serving every fake upstream on loopback, with the shared
/// fault layer, request log and admin API. Program.cs runs it; tests start it in-process on port 0.
/// </summary>
/// <example>
/// <code>
/// var app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--Simulators:WealthX:TotalDossiers=1234"]);
/// await app.StartAsync();
/// var baseAddress = SimulatorApp.ListeningAddresses(app)[0];
/// </code>
/// </example>
public static class SimulatorApp
{
    /// <summary>
    /// A builder with configuration (appsettings.json next to the assembly, environment, <paramref name="args"/>)
    /// and every simulator service registered. Use it to add or override services before building.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root is the assembly's folder, not the working directory, so the same appsettings.json is
        // found whether the simulators run from `dotnet run`, a published folder or a test's output folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
        });
        // The shipped defaults come first, so files, environment and arguments still override them, and a test
        // whose output folder holds another app's appsettings.json still gets the simulators' own.
        var defaults = typeof(SimulatorApp).Assembly.GetManifestResourceStream("Tributary.Simulators.appsettings.json")
            ?? throw new InvalidOperationException("The simulators' embedded appsettings.json is missing from the build.");
        builder.Configuration.Sources.Insert(0, new JsonStreamConfigurationSource { Stream = defaults });
        AddSimulators(builder);
        return builder;
    }

    /// <summary>Builds the app with every upstream, the admin API and health endpoints mapped; not yet started.</summary>
    /// <param name="args">Command-line arguments; <c>--urls</c> and any <c>--Simulators:...</c> setting are honoured.</param>
    /// <param name="configure">Optional changes to the builder (services, configuration) before it is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(args);
        configure?.Invoke(builder);
        var app = builder.Build();
        MapSimulators(app);
        return app;
    }

    /// <summary>The addresses Kestrel is bound to; after start, port 0 has been replaced by the real port.</summary>
    public static IReadOnlyList<Uri> ListeningAddresses(WebApplication app) =>
    [
        .. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(address => new Uri(address)),
    ];

    private static void AddSimulators(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddHealthChecks();

        services.AddSingleton<SimulatedRouteRegistry>();
        services.AddSingleton<RequestJournal>();
        services.AddSingleton<FaultBook>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<DossierCatalog>();

        services.AddOptions<RequestLogOptions>().Bind(configuration.GetSection(RequestLogOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestLogOptions>, RequestLogOptionsValidator>();

        // The rules are an array at Simulators:Faults, so the seed lives beside it rather than inside it.
        services.AddOptions<FaultOptions>()
            .Configure(options =>
            {
                options.Rules = configuration.GetSection(FaultOptions.RulesSection).Get<List<FaultRuleSpec>>() ?? [];
                options.Seed = configuration.GetValue(FaultOptions.SeedKey, FaultOptions.DefaultSeed);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaultOptions>, FaultOptionsValidator>();

        services.AddOptions<WealthXOptions>().Bind(configuration.GetSection(WealthXOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WealthXOptions>, WealthXOptionsValidator>();

        services.AddSingleton<SymbolUniverse>();
        services.AddSingleton(provider => new PriceWalk(provider.GetRequiredService<IOptions<MarketDataFeedOptions>>().Value.DataSeed));
        services.AddSingleton<MarketDataFeed>();
        services.AddOptions<MarketDataFeedOptions>().Bind(configuration.GetSection(MarketDataFeedOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MarketDataFeedOptions>, MarketDataFeedOptionsValidator>();

        services.AddTrueLayerSimulator(configuration);
        services.AddKeycloakSimulator(configuration);
        services.AddVestrSimulator(configuration);
        services.AddDropboxSimulator(configuration);
        services.AddAiPlatformSimulator(configuration);
    }

    private static void MapSimulators(WebApplication app)
    {
        app.UseExceptionHandler();

        // Routing first, so the fault layer sees which simulated route (if any) a request is for.
        app.UseRouting();
        app.UseMiddleware<SimulatedRouteMiddleware>();

        app.MapHealthChecks("/health");
        app.MapHealthChecks("/_admin/health");
        app.MapFaultAdmin();
        app.MapRequestLogAdmin();

        // One line per upstream; each maps its own routes and admin endpoints.
        app.MapWealthX();
        app.MapWealthXAdmin();
        app.MapMarketData();
        app.MapTrueLayer();
        app.MapKeycloak();
        app.MapVestr();
        app.MapDropbox();
        app.MapAiPlatform();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SimulatorApp));
            foreach (var address in ListeningAddresses(app))
            {
                SimulatorLog.Listening(logger, address);
            }
        });
    }
}
