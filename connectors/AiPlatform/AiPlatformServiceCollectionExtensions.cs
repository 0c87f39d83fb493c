using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.AiPlatform;

/// <summary>Registers the AI platform connector.</summary>
public static class AiPlatformServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AiPlatformOptions"/> from the <c>AiPlatform</c> section (validated at start-up with a sentence
    /// naming the setting) and registers <see cref="AiPlatformClient"/> (transient: cheap, the factory pools the
    /// handlers) on its named HttpClient, the way every connector is wired (<see cref="ConnectorRegistration.AddConnector"/>).
    /// </summary>
    /// <remarks>
    /// The client gets no resilience handler on purpose: whoever runs the sections retries, backs off and honours
    /// Retry-After, so this client makes one attempt per call, bounded by <see cref="AiPlatformOptions.Timeout"/>.
    /// </remarks>
    public static IServiceCollection AddAiPlatformClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(AiPlatformOptions.Section);
        services.AddConnector<AiPlatformOptions, AiPlatformOptionsValidator>(AiPlatformClient.Upstream, Options.DefaultName, section.Bind);
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<AiPlatformOptions>(sp, AiPlatformClient.Upstream, Options.DefaultName);
            return new AiPlatformClient(http, options, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
