using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.WealthX;

/// <summary>Registers the WealthX connector: one client per name (a feed of the pull has its own credentials).</summary>
public static class WealthXServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WealthXOptions"/> from the <c>WealthX</c> section as the unnamed client (validated at start-up
    /// with a sentence naming the setting) and registers <see cref="WealthXClient"/> for it.
    /// </summary>
    /// <remarks>
    /// The client gets no resilience handler on purpose: the job runtime retries, backs off, honours Retry-After
    /// and keeps the cluster-wide minimum interval between calls, so this client makes one attempt per call,
    /// bounded by <see cref="WealthXOptions.Timeout"/>.
    /// </remarks>
    public static IHttpClientBuilder AddWealthXClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var http = services.AddWealthXClient(Options.DefaultName, configuration.GetSection(WealthXOptions.Section).Bind);
        services.TryAddTransient(sp => sp.GetRequiredService<WealthXClients>().For(Options.DefaultName));
        return http;
    }

    /// <summary>
    /// A WealthX client named <paramref name="name"/>: its options (configured by <paramref name="bind"/>, checked at
    /// start; sentences name <see cref="WealthXOptions.SectionOf"/> the name) and its named HttpClient, the way every
    /// connector is wired (<see cref="ConnectorRegistration.AddConnector"/>). <see cref="WealthXClients"/> makes it.
    /// </summary>
    public static IHttpClientBuilder AddWealthXClient(this IServiceCollection services, string name, Action<WealthXOptions> bind)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        services.TryAddSingleton<WealthXClients>();
        return services.AddConnector<WealthXOptions, WealthXOptionsValidator>(WealthXClient.Upstream, name, bind);
    }
}

/// <summary>Makes the WealthX client of a name registered with <see cref="WealthXServiceCollectionExtensions.AddWealthXClient(IServiceCollection, string, Action{WealthXOptions})"/>.</summary>
public sealed class WealthXClients(IServiceProvider services)
{
    /// <summary>A client with the name's options and HttpClient (cheap: the factory pools the handlers).</summary>
    public WealthXClient For(string name)
    {
        var (http, options) = ConnectorRegistration.Resolve<WealthXOptions>(services, WealthXClient.Upstream, name);
        return new WealthXClient(http, options, services.GetRequiredService<TimeProvider>());
    }
}
