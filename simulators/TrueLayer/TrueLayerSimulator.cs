using Microsoft.Extensions.Options;

namespace Tributary.Simulators.TrueLayer;

/// <summary>Registers and maps the TrueLayer simulator: one line each in <see cref="SimulatorApp"/>.</summary>
public static class TrueLayerSimulator
{
    public static IServiceCollection AddTrueLayerSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TrueLayerConsentBook>();
        services.AddOptions<TrueLayerOptions>().Bind(configuration.GetSection(TrueLayerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrueLayerOptions>, TrueLayerOptionsValidator>();
        return services;
    }

    /// <summary>The auth host, the Data API, the 501 for other TrueLayer paths, and the admin API.</summary>
    public static IEndpointRouteBuilder MapTrueLayer(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapTrueLayerAuth().MapTrueLayerData().MapTrueLayerAdmin();
}
