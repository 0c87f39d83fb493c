using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Vestr;

/// <summary>Registers the Vestr connector: the Keycloak login, the process's session and the fee-deductions client.</summary>
public static class VestrServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="VestrOptions"/> from the <c>Vestr</c> section (validated at start-up with a sentence naming
    /// the setting) and registers <see cref="KeycloakLogin"/> and <see cref="VestrFeeClient"/> (transient: cheap, the
    /// factory pools the handlers) and <see cref="VestrSession"/> (a singleton: the one login of the process), the way
    /// every connector is wired (<see cref="ConnectorRegistration.AddConnector"/>).
    /// </summary>
    /// <remarks>
    /// The login's HttpClient (<c>keycloak</c>) neither follows redirects (the browser flow reads the code from the
    /// redirect's <c>Location</c>) nor keeps cookies (each login keeps its own). No resilience handler on either client:
    /// the job runtime retries, backs off and honours Retry-After.
    /// </remarks>
    public static IServiceCollection AddVestrClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(VestrOptions.Section);
        services.AddConnector<VestrOptions, VestrOptionsValidator>(VestrFeeClient.Upstream, Options.DefaultName, section.Bind);
        services.AddHttpClient(ConnectorRegistration.HttpClientName(KeycloakLogin.Upstream, Options.DefaultName), http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
            });
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<VestrOptions>(sp, KeycloakLogin.Upstream, Options.DefaultName);
            return new KeycloakLogin(http, options, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp =>
        {
            // Validates the options now, so a bad setting fails where the session is first asked for.
            _ = sp.GetRequiredService<IOptionsMonitor<VestrOptions>>().Get(Options.DefaultName);
            return new VestrSession(
                sp.GetRequiredService<KeycloakLogin>,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<VestrSession>>());
        });
        services.TryAddTransient(sp =>
        {
            var (http, options) = ConnectorRegistration.Resolve<VestrOptions>(sp, VestrFeeClient.Upstream, Options.DefaultName);
            return new VestrFeeClient(http, options, sp.GetRequiredService<VestrSession>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
