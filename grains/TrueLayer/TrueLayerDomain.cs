using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Connectors.TrueLayer;
using Tributary.Jobs;
using Tributary.Storage.Secrets;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>Registers the TrueLayer import domain: its connector, store, secret protection and the import job.</summary>
public static class TrueLayerDomain
{
    /// <summary>The domain is on when a TrueLayer client is configured (<c>TrueLayer:ClientId</c>); without one an import could only fail.</summary>
    public static ISiloBuilder AddTrueLayerDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[$"{TrueLayerOptions.Section}:{nameof(TrueLayerOptions.ClientId)}"]))
        {
            return silo;
        }

        var services = silo.Services;
        services.AddTrueLayerClients(configuration);
        services.AddTrueLayerStore();
        services.AddSecretProtection(configuration);
        services.AddOptions<TrueLayerImportOptions>().Bind(configuration.GetSection(TrueLayerImportOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrueLayerImportOptions>, TrueLayerImportOptionsValidator>());
        services.AddJob<TrueLayerImportJob>();
        services.TryAddSingleton<EnrichmentStore>();
        services.AddOptions<EnrichmentOptions>().Bind(configuration.GetSection(EnrichmentOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnrichmentOptions>, EnrichmentOptionsValidator>());
        services.AddJob<EnrichmentJobDefinition>();
        return silo;
    }
}
