using Microsoft.Extensions.Configuration;
using Tributary.Jobs;
using Tributary.FileRelay;
using Tributary.Scheduling;

namespace Tributary.Sync;

/// <summary>Registers the daily integrated sync and its schedule.</summary>
public static class SyncDomain
{
    /// <summary>The seed's start: every day at 17:10 Zurich time.</summary>
    public const string DefaultCron = "10 17 * * *";

    public const string DefaultZone = "Europe/Zurich";

    /// <summary>
    /// The sync is on when it has something to do: the relay (<see cref="RelayDomain.IsConfigured"/>) or Vestr
    /// (<c>Vestr:Username</c>). Its schedule is on by default, with misfire <c>once</c>: a 17:10 missed while no silo ran
    /// is run once, as soon as a silo is back (the seed's "run as soon as possible after a missed start").
    /// </summary>
    public static ISiloBuilder AddSyncDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!RelayDomain.IsConfigured(configuration) && string.IsNullOrWhiteSpace(configuration["Vestr:Username"]))
        {
            return silo;
        }

        silo.Services.AddJob<IntegratedSyncJob>();
        silo.Services.AddJobScheduleDefault(new JobScheduleDefault(SyncKeys.SyncJob,
            new ScheduleChange(DefaultCron, DefaultZone, MisfirePolicy.Once, null, Enabled: true)));
        return silo;
    }
}
