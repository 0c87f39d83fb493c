using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Tributary.Storage.Events;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// Runs one run's batches to the end, beside the grain that owns the run. Batches already checkpointed
/// are skipped; batches claimed but never finished (the silo died) are re-run from the same slice; new
/// batches are carved from the stored plan at the current batch size. Each batch commits its data, then
/// its checkpoint and progress event; the run ends with its final status and completion event together.
/// </summary>
public sealed partial class RunExecutor(
    JobRunStore store,
    UpstreamCircuits circuits,
    DatabaseOutage database,
    CrashPoints crash,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    /// <summary>The batch an attempt belongs to, for the run's shared retry pipeline.</summary>
    private static readonly ResiliencePropertyKey<int> BatchIndexKey = new("tributary.batch-index");

    /// <summary>Processes the run and returns it as it ended (its final status, totals and error). Cancellation leaves the run resumable.</summary>
    /// <param name="fresh">The caller created the run a moment ago and nothing else drives it: it has no batches yet, so its checkpoint is not read.</param>
    public async Task<JobRunRecord> ExecuteAsync(JobRunRecord run, IJobDefinition definition, JobSettings settings, CancellationToken cancellationToken, bool fresh = false)
    {
        var batches = fresh
            ? []
            : await database.RideOutAsync($"reading the checkpoint of run {run.RunId}", t => store.GetBatchesAsync(run.RunId, t), cancellationToken);
        var redo = new Queue<(int Index, int Offset, int Count)>(batches.Where(b => b.Status == JobBatchRecord.Running).OrderBy(b => b.BatchIndex)
            .Select(b => (b.BatchIndex, b.ItemOffset, b.ItemCount)));
        var nextIndex = batches.Count == 0 ? 0 : batches.Max(b => b.BatchIndex) + 1;
        var nextOffset = batches.Count == 0 ? 0 : batches.Max(b => b.End);
        var done = batches.Count - redo.Count;
        if (!fresh)
        {
            LogRunResumed(logger, run.Job, run.RunId, done, redo.Count, run.Items.Count - nextOffset);
        }

        // Only a limiter that spaces calls from the end of the previous one needs to hear when each call ended; asked once
        // per run, so the others cost one call per attempt (the reservation) instead of two.
        var limiter = LimiterOf(settings);
        var reportEnds = limiter is not null && (await limiter.GetState()).SpacedFromCompletion;

        var sizer = new BatchSizer(settings, run.BatchSize);
        // One retry pipeline per run (its batches tell it their index): built per batch it cost a strategy's construction
        // and validation every time.
        var pipeline = RetryPipeline(run, settings, sizer);
        var carving = new SemaphoreSlim(1, 1);
        var stop = new RunStop();
        if (settings.StopOnDeadLetter && batches.Where(b => b.Status == JobBatchRecord.DeadLettered).MinBy(b => b.BatchIndex) is { } stopped)
        {
            // Resumed after the silo died between a cursor job's dead letter and the run's end: still stopped there.
            stop.Failed(stopped.BatchIndex, stopped.Error ?? "dead-lettered");
        }

        if (redo.Count == 0 && !stop.Requested && settings.MaxParallelBatches > 1 && run.Items.Count - nextOffset > sizer.Current)
        {
            // The workers start together, so their first slices are carved and claimed together: one statement instead of
            // one per worker. Claimed and not finished, they are what a resume re-runs, like any claim.
            var first = new List<(int Index, int Offset, int Count)>();
            for (var offset = nextOffset; first.Count < settings.MaxParallelBatches && offset < run.Items.Count; offset += first[^1].Count)
            {
                first.Add((nextIndex + first.Count, offset, Math.Min(sizer.Current, run.Items.Count - offset)));
            }

            await database.RideOutAsync($"claiming batches {first[0].Index}-{first[^1].Index} of run {run.RunId}",
                t => store.ClaimBatchesAsync(run.RunId, first, t), cancellationToken);
            foreach (var slice in first)
            {
                crash.Reached(CrashPoints.BatchClaimed);
                redo.Enqueue(slice);
            }

            nextIndex += first.Count;
            nextOffset = first[^1].Offset + first[^1].Count;
        }

        async Task<(int Index, int Offset, int Count)?> NextAsync()
        {
            await carving.WaitAsync(cancellationToken);
            try
            {
                if (redo.TryDequeue(out var unfinished))
                {
                    return unfinished;
                }

                if (nextOffset >= run.Items.Count || stop.Requested)
                {
                    return null;
                }

                var slice = (Index: nextIndex, Offset: nextOffset, Count: Math.Min(sizer.Current, run.Items.Count - nextOffset));
                // The claim is the checkpoint before the work: after a crash this slice is re-run, not re-carved.
                await database.RideOutAsync($"claiming batch {slice.Index} of run {run.RunId}",
                    t => store.ClaimBatchAsync(run.RunId, slice.Index, slice.Offset, slice.Count, t), cancellationToken);
                crash.Reached(CrashPoints.BatchClaimed);
                nextIndex++;
                nextOffset += slice.Count;
                return slice;
            }
            finally
            {
                carving.Release();
            }
        }

        async Task WorkAsync()
        {
            while (await NextAsync() is { } slice)
            {
                await ProcessBatchAsync(run, definition, settings, reportEnds, pipeline, sizer, stop, slice.Index, slice.Offset, slice.Count, cancellationToken);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, settings.MaxParallelBatches).Select(_ => WorkAsync()));

        var final = await database.RideOutAsync($"reading the batches of run {run.RunId}", t => store.GetBatchesAsync(run.RunId, t), cancellationToken);
        var failed = final.Count(b => b.Status == JobBatchRecord.DeadLettered);
        var status = failed == 0 ? RunStatus.Succeeded : failed == final.Count ? RunStatus.Failed : RunStatus.PartiallySucceeded;
        var error = failed == 0 ? null : $"{failed} of {final.Count} batches were dead-lettered.";
        if (stop.FailedBatch is { } at)
        {
            // A cursor job cannot skip a page: the run failed where it stopped, whatever committed before.
            status = RunStatus.Failed;
            error = $"Stopped at batch {at}: {stop.Reason}";
        }

        var finished = await database.RideOutAsync($"finishing run {run.RunId}",
            t => store.FinishRunAsync(run.RunId, status, error, r => CompletionEvent(r, definition, definition.ReportsCounts ? JobBatchRecord.SumCounts(final) : null), t), cancellationToken);
        crash.Reached(CrashPoints.RunFinished);
        JobsTelemetry.RunFinished(run.Job, finished.Status);
        var finishedAs = finished.Status.ToText();
        LogRunFinished(logger, run.Job, run.RunId, finishedAs, finished.TotalBatches, finished.FailedBatches);
        return finished;
    }

    private async Task ProcessBatchAsync(JobRunRecord run, IJobDefinition definition, JobSettings settings, bool reportEnds, ResiliencePipeline pipeline, BatchSizer sizer, RunStop stop,
        int index, int offset, int count, CancellationToken cancellationToken)
    {
        var items = run.Items.Skip(offset).Take(count).ToList();
        var request = new RunRequest(run.Trigger, run.AccountId, run.Parameters, run.ScheduledFor);
        var attempts = 0;
        var started = Stopwatch.GetTimestamp();
        using var activity = JobsTelemetry.Activities.StartActivity("job batch");
        activity?.SetTag("tributary.job", run.Job);
        activity?.SetTag("tributary.run_id", run.RunId.ToString());
        activity?.SetTag("tributary.batch_index", index);
        activity?.SetTag("tributary.batch_size", items.Count);
        var batchContext = ResilienceContextPool.Shared.Get(cancellationToken);
        batchContext.Properties.Set(BatchIndexKey, index);
        try
        {
            var result = await pipeline.ExecuteAsync(async attempt =>
            {
                attempts++;
                // Our database's outage is neither the upstream's fault nor the batch's: it is waited out here (the
                // attempt runs again when the database is back) without spending an attempt or tripping the breaker.
                return await database.RideOutAsync($"running batch {index} of run {run.RunId}",
                    t => AttemptAsync(run, definition, settings, reportEnds, index, attempts, items, request, t), attempt.CancellationToken);
            }, batchContext);

            var elapsed = Stopwatch.GetElapsedTime(started);
            sizer.Succeeded(elapsed, attempts);
            JobsTelemetry.BatchCommitted(run.Job, result.ItemsProcessed, elapsed);
            activity?.SetTag("tributary.items_processed", result.ItemsProcessed);
            activity?.SetTag("tributary.attempts", attempts);
            if (result.EndOfData)
            {
                stop.EndOfData();
            }

            crash.Reached(CrashPoints.BatchCommitted);
            var progress = BatchEvent(EventTypes.BatchCompleted, run, index, items.Count, result.ItemsProcessed, attempts, elapsed, null, result.Details);
            await database.RideOutAsync($"checkpointing batch {index} of run {run.RunId}",
                t => store.CompleteBatchAsync(run.RunId, index, result.ItemsProcessed, attempts, elapsed, progress, t, result.Details?.ToJsonString()), cancellationToken);
            crash.Reached(CrashPoints.BatchCheckpointed);
        }
        catch (Exception exception) when ((exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            && !DatabaseFault.IsUnavailable(exception))
        {
            // A failing batch never fails its siblings: it goes to the dead letters and the run goes on.
            var elapsed = Stopwatch.GetElapsedTime(started);
            var reason = $"{exception.GetType().Name}: {exception.Message}";
            if (settings.StopOnDeadLetter)
            {
                stop.Failed(index, exception.Message);
            }

            LogBatchDeadLettered(logger, run.Job, run.RunId, index, attempts, reason);
            JobsTelemetry.BatchDeadLettered(run.Job);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            activity?.SetTag("tributary.attempts", attempts);
            var letter = BatchEvent(EventTypes.BatchDeadLettered, run, index, items.Count, 0, attempts, elapsed, reason);
            await database.RideOutAsync($"dead-lettering batch {index} of run {run.RunId}",
                t => store.DeadLetterBatchAsync(run, index, items, reason, attempts, elapsed, letter, t), cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(batchContext);
        }
    }

    /// <summary>One attempt at a batch: a slot from the upstream's rate limiter, then the job's work inside the upstream's breaker.</summary>
    /// <param name="reportEnds">The limiter spaces calls from the end of the previous one: tell it when the call ended.</param>
    private async Task<BatchResult> AttemptAsync(JobRunRecord run, IJobDefinition definition, JobSettings settings, bool reportEnds, int index, int attempt,
        IReadOnlyList<string> items, RunRequest request, CancellationToken cancellationToken)
    {
        var limiter = LimiterOf(settings);
        if (limiter is not null)
        {
            var waitStarted = Stopwatch.GetTimestamp();
            await limiter.WaitForSlotAsync(time, cancellationToken);
            JobsTelemetry.RateLimiterWaited(settings.Upstream!, Stopwatch.GetElapsedTime(waitStarted));
        }

        // The end of the attempt's call, reported once: by the job as soon as its reply is read, else here.
        var reported = 0;
        Task CallEnded() => reportEnds && limiter is not null && Interlocked.Exchange(ref reported, 1) == 0
            ? limiter.Completed(time.GetUtcNow())
            : Task.CompletedTask;
        var context = new JobBatchContext(run.RunId, run.Job, index, attempt, items, request)
        {
            UpstreamCallEnded = CallEnded,
            Database = database,
        };
        try
        {
            return await circuits.For(settings.Upstream).ExecuteAsync(async t => await definition.ExecuteBatchAsync(context, t), cancellationToken);
        }
        finally
        {
            await CallEnded();
        }
    }

    private ResiliencePipeline RetryPipeline(JobRunRecord run, JobSettings settings, BatchSizer sizer)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = settings.RetryJitter,
                Delay = settings.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(5),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e =>
                    e is not OperationCanceledException && !RetryHint.IsPermanent(e) && !DatabaseFault.IsUnavailable(e)),
                // An upstream's Retry-After wins over our own backoff: retrying earlier only counts against the limit.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? RetryHint.RetryAfter(e) : null),
                OnRetry = async args =>
                {
                    var exception = args.Outcome.Exception!;
                    if (RetryHint.IsThrottling(exception))
                    {
                        sizer.Throttled();
                    }

                    if (LimiterOf(settings) is { } limiter && RetryHint.RetryAfter(exception) is { } after)
                    {
                        await limiter.PauseUntil(time.GetUtcNow() + after);
                    }

                    JobsTelemetry.BatchRetried(run.Job);
                    LogBatchRetry(logger, run.Job, run.RunId, args.Context.Properties.GetValue(BatchIndexKey, -1), args.AttemptNumber + 1, args.RetryDelay, exception.Message);
                },
            });
        }

        return builder.Build();
    }

    private OutboxEvent BatchEvent(string type, JobRunRecord run, int index, int size, int itemsProcessed, int attempts, TimeSpan elapsed, string? error,
        JsonObject? details = null)
    {
        var data = new JsonObject
        {
            ["runId"] = run.RunId.ToString(),
            ["job"] = run.Job,
            ["batchIndex"] = index,
            ["batchSize"] = size,
            ["itemsProcessed"] = itemsProcessed,
            ["attempts"] = attempts,
            ["durationMs"] = (long)elapsed.TotalMilliseconds,
            ["account_id"] = run.AccountId,
        };
        if (error is not null)
        {
            data["error"] = error;
        }

        if (details is not null)
        {
            data["details"] = details.DeepClone();
        }

        return new OutboxEvent(type, $"/jobs/{run.Job}", run.RunId.ToString(), run.Job, time.GetUtcNow(), data);
    }

    private OutboxEvent CompletionEvent(JobRunRecord run, IJobDefinition definition, JsonObject? counts)
    {
        var processing = (run.FinishedAt ?? time.GetUtcNow()) - (run.StartedAt ?? run.CreatedAt);
        var data = new JsonObject
        {
            ["status"] = run.Status.ToText(),
            ["totalBatches"] = run.TotalBatches,
            ["totalItems"] = run.Items.Count,
            [$"total{definition.ItemsName}"] = run.Items.Count,
            ["itemsProcessed"] = run.ItemsProcessed,
            ["failedBatches"] = run.FailedBatches,
            ["processingTimeMs"] = (long)processing.TotalMilliseconds,
            ["runId"] = run.RunId.ToString(),
            ["job"] = run.Job,
            ["trigger"] = run.Trigger.ToText(),
            ["account_id"] = run.AccountId,
        };
        if (counts is not null)
        {
            data["counts"] = counts;
        }

        return new OutboxEvent(EventTypes.RunCompleted, $"/jobs/{run.Job}", run.RunId.ToString(), run.Job, time.GetUtcNow(), data);
    }

    /// <summary>The rate limiter of the job's upstream credential, or null for database-only jobs.</summary>
    private IRateLimiterGrain? LimiterOf(JobSettings settings) =>
        settings.Upstream is { } upstream ? grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For(upstream, settings.UpstreamCredential)) : null;

    /// <summary>Whether a batch ended the run early: the end of the data, or (cursor jobs) the first dead letter by batch index.</summary>
    private sealed class RunStop
    {
        private readonly Lock _lock = new();
        private volatile bool _requested;

        /// <summary>No batch is to be carved any more.</summary>
        public bool Requested => _requested;

        /// <summary>The lowest batch index that failed for good, when one did.</summary>
        public int? FailedBatch { get; private set; }

        public string? Reason { get; private set; }

        public void EndOfData() => _requested = true;

        public void Failed(int batchIndex, string reason)
        {
            lock (_lock)
            {
                if (FailedBatch is null || batchIndex < FailedBatch)
                {
                    (FailedBatch, Reason) = (batchIndex, reason);
                }

                _requested = true;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Job}/{RunId}: {Done} batches done, {Redo} to redo, {Left} items left to carve")]
    private static partial void LogRunResumed(ILogger logger, string job, Guid runId, int done, int redo, int left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Job}/{RunId} finished {Status}: {Batches} batches, {Failed} dead-lettered")]
    private static partial void LogRunFinished(ILogger logger, string job, Guid runId, string status, int batches, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Job}/{RunId} batch {Index}: attempt {Attempt} in {Delay} after: {Reason}")]
    private static partial void LogBatchRetry(ILogger logger, string job, Guid runId, int index, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Job}/{RunId} batch {Index} dead-lettered after {Attempts} attempt(s): {Reason}")]
    private static partial void LogBatchDeadLettered(ILogger logger, string job, Guid runId, int index, int attempts, string reason);
}
