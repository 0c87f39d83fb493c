using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Dropbox;

/// <summary>Registers and maps the Dropbox simulator: one line each in <see cref="SimulatorApp"/>.</summary>
public static class DropboxSimulator
{
    public static IServiceCollection AddDropboxSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DropboxNamespace>();
        services.AddOptions<DropboxOptions>().Bind(configuration.GetSection(DropboxOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DropboxOptions>, DropboxOptionsValidator>();
        return services;
    }

    /// <summary>The OAuth, RPC and content hosts, the 404 for other Dropbox paths, and the admin API.</summary>
    public static IEndpointRouteBuilder MapDropbox(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapDropboxAuth().MapDropboxFiles().MapDropboxContent().MapDropboxAdmin();
}
