using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.MarketData;

/// <summary>Registers the market-data connector.</summary>
public static class MarketDataServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="MarketDataOptions"/> from the <c>MarketData</c> section (validated at start-up with a
    /// sentence naming the setting) and registers <see cref="MarketDataClient"/> on its named HttpClient, the way
    /// every connector is wired (<see cref="ConnectorRegistration.AddConnector"/>).
    /// </summary>
    /// <remarks>
    /// The client gets no resilience handler on purpose: the job runtime retries, backs off and breaks circuits
    /// per batch, so this client makes one attempt per call, bounded by <see cref="MarketDataOptions.Timeout"/>.
    /// </remarks>
    public static IHttpClientBuilder AddMarketDataClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(MarketDataOptions.Section);
        var http = services.AddConnector<MarketDataOptions, MarketDataOptionsValidator>(MarketDataClient.Upstream, Options.DefaultName, section.Bind);
        services.TryAddTransient(sp =>
        {
            var (client, options) = ConnectorRegistration.Resolve<MarketDataOptions>(sp, MarketDataClient.Upstream, Options.DefaultName);
            return new MarketDataClient(client, options, sp.GetRequiredService<TimeProvider>());
        });
        return http;
    }
}
