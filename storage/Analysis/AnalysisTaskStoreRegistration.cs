using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tributary.Storage.Analysis;

/// <summary>Wires <see cref="AnalysisTaskStore"/>.</summary>
public static class AnalysisTaskStoreRegistration
{
    public static IServiceCollection AddAnalysisTaskStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AnalysisTaskStore>();
        return services;
    }
}
