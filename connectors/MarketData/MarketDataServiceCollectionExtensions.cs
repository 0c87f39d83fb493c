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
    /// sentence naming the setting) and registers <see cref="MarketDataClient"/> as a typed HttpClient.
    /// </summary>
    /// <remarks>
    /// The client gets no resilience handler on purpose: the job runtime retries, backs off and breaks circuits
    /// per batch, so this client makes one attempt per call, bounded by <see cref="MarketDataOptions.Timeout"/>.
    /// The HttpClient's own timeout is switched off so that bound is the only one, and a timeout can be told apart
    /// from the caller's cancellation.
    /// </remarks>
    public static IHttpClientBuilder AddMarketDataClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<MarketDataOptions>().Bind(configuration.GetSection(MarketDataOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MarketDataOptions>, MarketDataOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        return services.AddHttpClient<MarketDataClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
    }
}
