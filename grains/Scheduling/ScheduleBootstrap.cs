using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Tributary.Jobs;

namespace Tributary.Scheduling;

/// <summary>
/// At silo start, gives every registered job that has a configured schedule its <see cref="ScheduleGrain"/>.
/// Runs on every silo; the grain makes it idempotent and keeps any schedule an operator changed.
/// </summary>
/// <remarks>
/// A silo restarted right after it was killed may find a schedule grain still placed on its own dead former self
/// (the cluster has not declared it dead yet), or the database briefly away: such calls are tried again for a while
/// instead of failing the silo's start. A schedule the grain refuses (<see cref="InvalidScheduleException"/>) is not.
/// </remarks>
public sealed partial class ScheduleBootstrap(
    IGrainFactory grains,
    IEnumerable<IJobDefinition> definitions,
    IConfiguration configuration,
    IEnumerable<JobScheduleDefault> defaults,
    ILogger<ScheduleBootstrap> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var configured = ConfiguredSchedules.WithDefaults(configuration, defaults);

        var registered = definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (job, schedule) in configured)
        {
            if (!registered.Contains(job))
            {
                LogUnknownJob(logger, job);
                continue;
            }

            var applied = await Retry.ExecuteAsync(
                async token => await grains.GetGrain<IScheduleGrain>(ScheduleKey.For(job)).ApplyConfigured(schedule).WaitAsync(token),
                cancellationToken);
            LogApplied(logger, job, schedule.Cron, applied);
        }
    }

    private ResiliencePipeline Retry => _retry ??= new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 12,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Linear,
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not InvalidScheduleException and not OperationCanceledException),
            OnRetry = args =>
            {
                LogRetrying(logger, args.AttemptNumber + 1, args.Outcome.Exception!);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private ResiliencePipeline? _retry;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying the configured schedules failed (try {Attempt}); trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs:{Job}:Schedule is configured but no job named {Job} is registered; ignored")]
    private static partial void LogUnknownJob(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} from configuration ('{Cron}'): {Applied}")]
    private static partial void LogApplied(ILogger logger, string job, string? cron, bool applied);
}
