using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Credinvest;

/// <summary>Registers the Credinvest SFTP client with its options, checked at start-up.</summary>
public static class CredinvestServiceCollectionExtensions
{
    public static IServiceCollection AddCredinvestSftp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CredinvestOptions>().Bind(configuration.GetSection(CredinvestOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredinvestOptions>, CredinvestOptionsValidator>());
        services.TryAddTransient<CredinvestSftpClient>();
        return services;
    }
}
