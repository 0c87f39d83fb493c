using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Storage.Secrets;

/// <summary>Wires <see cref="SecretProtector"/>: Data Protection, its key ring in PostgreSQL, sealed by the configured key.</summary>
public static class SecretProtectionRegistration
{
    /// <summary>
    /// Registers <see cref="SecretProtector"/> over the registered <see cref="Npgsql.NpgsqlDataSource"/>, with
    /// <c>DataProtection:KeyRingKey</c> bound and validated on start (a missing or malformed key stops the process
    /// with a sentence naming it).
    /// </summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SecretProtectionOptions>().Bind(configuration.GetSection(SecretProtectionOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretProtectionOptions>, SecretProtectionOptionsValidator>());
        services.TryAddSingleton<PostgresXmlRepository>();
        services.AddDataProtection().SetApplicationName(SecretProtector.ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<PostgresXmlRepository, IOptions<SecretProtectionOptions>>((keys, repository, options) =>
        {
            keys.XmlRepository = repository;
            keys.XmlEncryptor = new KeyRingKeyEncryptor(KeyRingKey.Parse(options.Value.KeyRingKey));
        });
        services.TryAddSingleton<SecretProtector>();
        return services;
    }
}
