using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Scheduling;

/// <summary>Registers the scheduler on a silo: options, and the start-up task that seeds configured schedules.</summary>
public static class SchedulingDomain
{
    /// <summary>
    /// Binds <c>Scheduling:*</c>, checked at start with every <c>Jobs:{job}:Schedule:*</c> by
    /// <see cref="SchedulingOptionsValidator"/>, so a bad setting stops the silo with a sentence naming it, before it
    /// joins the cluster.
    /// </summary>
    /// <remarks>Idempotent: a second call (a test host on top of <c>AddTributary</c>) adds nothing.</remarks>
    public static ISiloBuilder AddSchedulingDomain(this ISiloBuilder silo)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(SchedulingDomainMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<SchedulingDomainMarker>();
        silo.Services.AddOptions<SchedulingOptions>().Bind(silo.Configuration.GetSection(SchedulingOptions.Section)).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());
        silo.AddStartupTask<ScheduleBootstrap>();
        return silo;
    }

    /// <summary>Marks a service collection the scheduling domain was added to.</summary>
    private sealed class SchedulingDomainMarker;
}
