using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Keycloak;

/// <summary>Registers and maps the Keycloak simulator (realm <c>vestr</c>): one line each in <see cref="SimulatorApp"/>.</summary>
public static class KeycloakSimulator
{
    public static IServiceCollection AddKeycloakSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<KeycloakRealm>();
        services.AddTransient<IStartupFilter, KeycloakDateHeader>();
        services.AddOptions<KeycloakOptions>().Bind(configuration.GetSection(KeycloakOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeycloakOptions>, KeycloakOptionsValidator>();
        return services;
    }

    /// <summary>The realm's login pages and token endpoint, the 404 for other realm paths, and the admin API.</summary>
    public static IEndpointRouteBuilder MapKeycloak(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapKeycloakRealm().MapKeycloakAdmin();
}
