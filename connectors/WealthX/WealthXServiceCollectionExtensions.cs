using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.WealthX;

/// <summary>Registers the WealthX connector.</summary>
public static class WealthXServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WealthXOptions"/> from the <c>WealthX</c> section (validated at start-up with a sentence
    /// naming the setting) and registers <see cref="WealthXClient"/> as a typed HttpClient.
    /// </summary>
    /// <remarks>
    /// The client gets no resilience handler on purpose: the job runtime retries, backs off, honours Retry-After
    /// and keeps the cluster-wide minimum interval between calls, so this client makes one attempt per call,
    /// bounded by <see cref="WealthXOptions.Timeout"/>. The HttpClient's own timeout is switched off so that bound
    /// is the only one, and a timeout can be told apart from the caller's cancellation.
    /// </remarks>
    public static IHttpClientBuilder AddWealthXClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<WealthXOptions>().Bind(configuration.GetSection(WealthXOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WealthXOptions>, WealthXOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        return services.AddHttpClient<WealthXClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
    }
}
