using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Scheduling;

/// <summary>Registers the scheduler on a silo: options, and the start-up task that seeds configured schedules.</summary>
public static class SchedulingDomain
{
    /// <summary>
    /// Reads <c>Scheduling:*</c> and every <c>Jobs:{job}:Schedule:*</c> now, so a bad setting stops the silo
    /// with a sentence naming it, before it joins the cluster.
    /// </summary>
    /// <remarks>Idempotent: a second call (a test host on top of <c>AddTributary</c>) adds nothing.</remarks>
    public static ISiloBuilder AddSchedulingDomain(this ISiloBuilder silo)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(SchedulingDomainMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<SchedulingDomainMarker>();
        var configuration = silo.Configuration;
        var section = configuration.GetSection(SchedulingOptions.Section);
        var options = section.Get<SchedulingOptions>() ?? new SchedulingOptions();
        var minimumReminderPeriod = configuration.GetValue("Silo:MinimumReminderPeriod", TimeSpan.FromMinutes(1));
        var problems = options.Validate(minimumReminderPeriod);
        if (problems.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SchedulingOptions.Section, typeof(SchedulingOptions), problems);
        }

        ConfiguredSchedules.Read(configuration);
        silo.Services.Configure<SchedulingOptions>(section);
        silo.AddStartupTask<ScheduleBootstrap>();
        return silo;
    }

    /// <summary>Marks a service collection the scheduling domain was added to.</summary>
    private sealed class SchedulingDomainMarker;
}
