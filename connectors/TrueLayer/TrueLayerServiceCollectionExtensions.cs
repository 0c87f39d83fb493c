using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.TrueLayer;

/// <summary>Registers the TrueLayer connector: the auth client and the Data API client, on one named HttpClient.</summary>
public static class TrueLayerServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="TrueLayerOptions"/> from the <c>TrueLayer</c> section (validated at start-up with a sentence
    /// naming the setting) and registers <see cref="TrueLayerAuthClient"/> and <see cref="TrueLayerDataClient"/>
    /// (transient: cheap, the factory pools the handlers), the way every connector is wired
    /// (<see cref="ConnectorRegistration.AddConnector"/>).
    /// </summary>
    /// <remarks>
    /// The clients get no resilience handler on purpose: the job runtime and the callers retry, back off and honour
    /// Retry-After, so these clients make one attempt per call, bounded by <see cref="TrueLayerOptions.Timeout"/>.
    /// </remarks>
    public static IServiceCollection AddTrueLayerClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(TrueLayerOptions.Section);
        services.AddConnector<TrueLayerOptions, TrueLayerOptionsValidator>(TrueLayerAuthClient.Upstream, Options.DefaultName, section.Bind);
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<TrueLayerOptions>(sp, TrueLayerAuthClient.Upstream, Options.DefaultName);
            return new TrueLayerAuthClient(http, options, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<TrueLayerOptions>(sp, TrueLayerAuthClient.Upstream, Options.DefaultName);
            return new TrueLayerDataClient(http, options, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
