using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Tributary.Jobs;

namespace Tributary.Scheduling;

/// <summary>
/// At silo start, gives every registered job that has a configured schedule its <see cref="ScheduleGrain"/>.
/// Runs on every silo; the grain makes it idempotent and keeps any schedule an operator changed.
/// </summary>
public sealed partial class ScheduleBootstrap(
    IGrainFactory grains,
    IEnumerable<IJobDefinition> definitions,
    IConfiguration configuration,
    IEnumerable<JobScheduleDefault> defaults,
    ILogger<ScheduleBootstrap> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var configured = new Dictionary<string, ScheduleChange>(ConfiguredSchedules.Read(configuration), StringComparer.Ordinal);
        foreach (var fallback in defaults)
        {
            // Jobs:{job}:Schedule:* wins over a domain's own default.
            configured.TryAdd(fallback.Job, fallback.Schedule);
        }

        var registered = definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (job, schedule) in configured)
        {
            if (!registered.Contains(job))
            {
                LogUnknownJob(logger, job);
                continue;
            }

            var applied = await grains.GetGrain<IScheduleGrain>(ScheduleKey.For(job)).ApplyConfigured(schedule);
            LogApplied(logger, job, schedule.Cron, applied);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs:{Job}:Schedule is configured but no job named {Job} is registered; ignored")]
    private static partial void LogUnknownJob(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} from configuration ('{Cron}'): {Applied}")]
    private static partial void LogApplied(ILogger logger, string job, string? cron, bool applied);
}
