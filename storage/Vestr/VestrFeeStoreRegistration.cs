using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tributary.Storage.Vestr;

/// <summary>Wires <see cref="VestrFeeStore"/>.</summary>
public static class VestrFeeStoreRegistration
{
    /// <summary>Registers <see cref="VestrFeeStore"/> as a singleton over the registered <see cref="Npgsql.NpgsqlDataSource"/>.</summary>
    public static IServiceCollection AddVestrFeeStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<VestrFeeStore>();
        return services;
    }
}
