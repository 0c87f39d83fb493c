using Microsoft.Extensions.Options;

namespace Tributary.Simulators.AiPlatform;

/// <summary>Registers and maps the AI platform simulator: one line each in <see cref="SimulatorApp"/>.</summary>
public static class AiPlatformSimulator
{
    public static IServiceCollection AddAiPlatformSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AiPlatformTenant>();
        services.AddOptions<AiPlatformOptions>().Bind(configuration.GetSection(AiPlatformOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AiPlatformOptions>, AiPlatformOptionsValidator>();
        return services;
    }

    /// <summary>The login and analysis routes, and the admin API.</summary>
    public static IEndpointRouteBuilder MapAiPlatform(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAiPlatformApi().MapAiPlatformAdmin();
}
