using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <summary>
/// Takes pending tasks off the queue for this silo's workers. A submit only stores its task (pending); each silo takes
/// the oldest pending task whenever fewer than <see cref="Ahead"/> sections are analysed, waiting or on their way on
/// it, and starts its run here. So the queue is the table (visible as pending tasks and in <c>/ping</c>'s
/// <c>queue_size</c>), a submit costs one insert, and a silo never holds more runs than its workers can keep busy.
/// </summary>
/// <remarks>
/// A silo looks at the queue when a submit lands on it, when one of its workers is given back (if the queue was not
/// empty), and every <c>Tasks:QueuePollPeriod</c> (tasks submitted on other silos, and every task after a full restart).
/// Taking a task marks it running in the same statement (<c>FOR UPDATE SKIP LOCKED</c>: two silos never take the same
/// one); a silo that dies between taking a task and starting its run leaves it to <see cref="AnalysisTaskRecovery"/>.
/// </remarks>
public sealed partial class AnalysisTaskDispatcher(
    AnalysisTaskStore store,
    TaskWorkers workers,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<AnalysisTaskDispatcher> logger) : BackgroundService
{
    private TaskCompletionSource _wake = NewSignal();

    // Bumped by each submit on this silo and each poll (the queue may hold a task); the queue was last found empty at _emptyAt.
    private long _news;
    private long _emptyAt = -1;
    private bool _failing;

    /// <summary>Sections a silo keeps analysed or ready: twice its workers, so a freed worker finds the next section waiting.</summary>
    public int Ahead => 2 * workers.Count;

    /// <summary>A task was stored on this silo: look at the queue now.</summary>
    public void Submitted()
    {
        Interlocked.Increment(ref _news);
        Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        workers.Freed += Wake;
        try
        {
            using var timer = new PeriodicTimer(options.Value.QueuePollPeriod, time);
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            Interlocked.Increment(ref _news);
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake);
                await TakeWhileRoomAsync(stoppingToken);
                await Task.WhenAny(wake.Task, tick);
                if (wake.Task.IsCompleted)
                {
                    // Replaced after it fired and before the next look: a wake from now on completes the new one.
                    Interlocked.CompareExchange(ref _wake, NewSignal(), wake);
                }

                if (tick.IsCompleted)
                {
                    if (!await tick)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _news);
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo stops: tasks not taken stay pending for the next silo.
        }
        finally
        {
            workers.Freed -= Wake;
        }
    }

    private async Task TakeWhileRoomAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && workers.Demand < Ahead)
        {
            var news = Interlocked.Read(ref _news);
            if (news == Interlocked.Read(ref _emptyAt))
            {
                return;
            }

            TakenTask? taken;
            try
            {
                taken = await store.TakeNextAsync(time.GetUtcNow(), cancellationToken);
                if (_failing)
                {
                    _failing = false;
                    LogQueueBack(logger);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (!_failing)
                {
                    _failing = true;
                    LogQueueFailed(logger, exception.Message);
                }

                return; // the next poll looks again
            }

            if (taken is null)
            {
                Interlocked.Exchange(ref _emptyAt, news);
                return;
            }

            workers.Expect(taken.TaskId, taken.Sections);
            _ = StartAsync(taken);
        }
    }

    private async Task StartAsync(TakenTask task)
    {
        // The run goes where the workers were counted: the job grain of a task's run is new, and this hint, which travels
        // with the call, places it on this silo (the placement strategy decides only when the hint's silo cannot host it).
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            await AnalysisTaskJob.StartRunAsync(grains, task.TaskId, task.Sections);
        }
        catch (Exception exception)
        {
            workers.Forget(task.TaskId);
            var retry = options.Value.RecoveryPeriod;
            LogStartFailed(logger, task.TaskId, exception.Message, retry);
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis tasks: this silo cannot read the queue ({Reason}); it tries again every poll")]
    private static partial void LogQueueFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis tasks: this silo reads the queue again")]
    private static partial void LogQueueBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis task {TaskId}: its run did not start ({Reason}); the recovery sweep starts it within {Period}")]
    private static partial void LogStartFailed(ILogger logger, Guid taskId, string reason, TimeSpan period);
}
