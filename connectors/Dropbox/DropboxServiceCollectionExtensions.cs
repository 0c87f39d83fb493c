using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Dropbox;

/// <summary>Registers the Dropbox connector: its options, the shared access-token cache and the client.</summary>
public static class DropboxServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DropboxOptions"/> from the <c>Dropbox</c> section (validated at start-up with a sentence naming
    /// the setting) and registers <see cref="DropboxAccessTokens"/> (a singleton: one token for the process) and
    /// <see cref="DropboxClient"/> (transient: cheap, the factory pools the handlers), the way every connector is wired
    /// (<see cref="ConnectorRegistration.AddConnector"/>).
    /// </summary>
    /// <remarks>No resilience handler: the job runtime and the callers retry, back off and honour Retry-After.</remarks>
    public static IServiceCollection AddDropboxClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(DropboxOptions.Section);
        services.AddConnector<DropboxOptions, DropboxOptionsValidator>(DropboxClient.Upstream, Options.DefaultName, section.Bind);
        services.TryAddSingleton<DropboxAccessTokens>();
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<DropboxOptions>(sp, DropboxClient.Upstream, Options.DefaultName);
            return new DropboxClient(http, options, sp.GetRequiredService<DropboxAccessTokens>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
