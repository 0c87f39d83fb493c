using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tributary.Storage.Relay;

/// <summary>Wires <see cref="RelayStore"/>.</summary>
public static class RelayStoreRegistration
{
    /// <summary>Registers <see cref="RelayStore"/> as a singleton over the registered <see cref="Npgsql.NpgsqlDataSource"/>.</summary>
    public static IServiceCollection AddRelayStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RelayStore>();
        return services;
    }
}
