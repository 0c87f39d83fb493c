using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <summary>
/// Picks up unfinished tasks without a request: at start and every <c>Tasks:RecoveryPeriod</c>, each silo asks the
/// grain of every task still pending or running (older than a few seconds) to make sure a run drives it. The runtime
/// resumes runs whose silo died; this covers a task whose run was never started (its silo died right after the submit).
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
                foreach (var taskId in await store.ListOpenAsync(time.GetUtcNow().AddSeconds(-10), 1_000, stoppingToken))
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
