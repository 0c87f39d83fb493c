using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <summary>
/// Picks up taken tasks whose run never began, without a request: at start and every <c>Tasks:RecoveryPeriod</c>, each
/// silo asks the grain of every running task (taken off the queue more than a few seconds before) to make sure a run
/// drives it. The runtime resumes runs whose silo died; this covers a task whose silo died after taking it and before
/// its run was stored. Pending tasks, after a full restart too, are <see cref="AnalysisTaskDispatcher"/>'s.
/// </summary>
public sealed partial class AnalysisTaskRecovery(
    AnalysisTaskStore store,
    IGrainFactory grains,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<AnalysisTaskRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryPeriod, time);
        do
        {
            try
            {
                foreach (var taskId in await store.ListRunningAsync(time.GetUtcNow().AddSeconds(-10), 1_000, stoppingToken))
                {
                    await grains.GetGrain<IAnalysisTaskGrain>(taskId).EnsureStarted();
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis tasks: looking for unfinished tasks failed ({Reason}); trying again at the next period")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
