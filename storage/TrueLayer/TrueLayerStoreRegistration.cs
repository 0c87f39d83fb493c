using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tributary.Storage.TrueLayer;

/// <summary>Wires <see cref="TrueLayerStore"/>.</summary>
public static class TrueLayerStoreRegistration
{
    /// <summary>Registers <see cref="TrueLayerStore"/> as a singleton over the registered <see cref="Npgsql.NpgsqlDataSource"/>.</summary>
    public static IServiceCollection AddTrueLayerStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TrueLayerStore>();
        return services;
    }
}
