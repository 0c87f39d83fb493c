using Microsoft.Extensions.Configuration;
using Tributary.Connectors.Vestr;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Vestr;

namespace Tributary.Vestr;

/// <summary>Registers the Vestr fee domain: its connector, store, the sync job and its (paused) default schedule.</summary>
public static class VestrDomain
{
    /// <summary>The default schedule: weekdays 17:10 Zurich time, as the integrated sync runs it; paused until someone resumes it.</summary>
    public const string DefaultCron = "10 17 * * 1-5";

    public const string DefaultZone = "Europe/Zurich";

    /// <summary>The domain is on when a Vestr login is configured (<c>Vestr:Username</c>); without one a sync could only fail.</summary>
    public static ISiloBuilder AddVestrDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[$"{VestrOptions.Section}:{nameof(VestrOptions.Username)}"]))
        {
            return silo;
        }

        silo.Services.AddVestrClients(configuration);
        silo.Services.AddVestrFeeStore();
        silo.Services.AddJob<VestrFeeSyncJob>();
        silo.Services.AddJobScheduleDefault(new JobScheduleDefault(VestrKeys.JobName,
            new ScheduleChange(DefaultCron, DefaultZone, MisfirePolicy.Once, null, Enabled: false)));
        return silo;
    }
}
