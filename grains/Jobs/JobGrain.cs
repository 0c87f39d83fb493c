using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <inheritdoc cref="IJobGrain"/>
/// <remarks>
/// The run's loop runs on the thread pool beside the grain, not inside a grain call: triggers return at once
/// and calls keep being answered while batches run. A watchdog reminder lives as long as a run does; each
/// tick (late, missed or duplicated alike) only resumes a loop that is not running, so ticks are idempotent.
/// The run's row is the truth: the reminder is registered before the row is written, and any activation, tick or
/// supervisor sweep that finds an active row its state does not know adopts it, so a silo dying between the row and
/// the state strands nothing. <see cref="RunSupervisor"/> pokes every active run when a silo dies, so failover does
/// not wait for the next tick.
/// </remarks>
[GrainType("job")]
public sealed partial class JobGrain(
    [PersistentState(JobGrain.StateName, StorageNames.GrainState)] IPersistentState<JobState> state,
    JobCatalog catalog,
    JobRunStore store,
    RunExecutor executor,
    CrashPoints crash,
    IOptions<JobRuntimeOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IJobRunOwner, IRemindable, IDisposable
{
    /// <summary>The name its state is stored under.</summary>
    public const string StateName = "job";

    private const string WatchdogReminder = "job-watchdog";
    private Task? _loop;
    private CancellationTokenSource? _stop;

    // The watchdog as this activation registered it: a run's end unregisters it without reading it back first.
    private IGrainReminder? _watchdog;

    // The run as this activation's loop ended it, handed to its definition's hook instead of being read back.
    private JobRunRecord? _ended;

    // Set while no call has come since activation looked for a stranded run: the first trigger need not look again.
    private bool _justActivated;

    private string Job => JobKey.NameOf(this.GetPrimaryKeyString());

    /// <summary>The run key this grain keeps single-flight for; null for the job's default.</summary>
    private string? RunKey => JobKey.RunKeyOf(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Reactivated after its silo died, or after idle collection: pick the run up where its batches left it.
        try
        {
            await AdoptOrResumeAsync();
            _justActivated = true;
        }
        catch (Exception exception) when (DatabaseFault.Portable(exception) is { } portable && !ReferenceEquals(portable, exception))
        {
            // An activation's failure reaches the caller outside any grain call filter: in our words, not the driver's.
            throw portable;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The loop stops at the next await; its claimed batch is re-run by whoever resumes the run.
        _stop?.Cancel();
        return Task.CompletedTask;
    }

    public async Task<RunTicket> Trigger(RunRequest request)
    {
        var justActivated = _justActivated;
        _justActivated = false;
        if (!catalog.TryGet(Job, out var definition, out var settings))
        {
            return RunTicket.UnknownJob(Job);
        }

        if (request.IdempotencyKey is { } idempotencyKey && await store.FindByIdempotencyKeyAsync(Job, idempotencyKey, CancellationToken.None) is { } repeated)
        {
            // A retried trigger (the client's, or the gateway's after a silo died mid-call): the first attempt's run.
            await AdoptOrResumeAsync();
            return new RunTicket(repeated.RunId, false, repeated.Status);
        }

        if (request.ScheduledFor is { } occurrence && await store.FindOccurrenceAsync(Job, RunKey, occurrence, CancellationToken.None) is { } served)
        {
            return new RunTicket(served.RunId, false, served.Status);
        }

        // Looks for a stranded run unless activation just did (a run made since by a stray activation elsewhere still wins
        // the race for the run key below, and is adopted there).
        if (!justActivated)
        {
            await AdoptOrResumeAsync();
        }

        if (state.State.CurrentRunId is { } current)
        {
            return new RunTicket(current, false, RunStatus.Running);
        }

        // The heartbeat exists before the run does: whatever instant this silo dies from here on, a tick wakes the
        // grain, which finds the run's row (if it was written) and drives it.
        _watchdog = await this.RegisterOrUpdateReminder(WatchdogReminder, options.Value.WatchdogPeriod, options.Value.WatchdogPeriod);
        var runId = Guid.NewGuid();
        var (items, accountId, parameters, replayOf) = request.Trigger == RunTrigger.Replay
            ? await ReplayPlanAsync(request)
            : (await definition.PlanAsync(new JobPlanContext(runId, Job, request) { RunKey = RunKey }, CancellationToken.None),
               request.AccountId, request.Parameters ?? new Dictionary<string, string>(), (IReadOnlyList<long>)[]);

        settings = definition.SettingsFor(settings, request);
        var (run, created) = await store.CreateRunAsync(
            new NewRun(runId, Job, request.Trigger, accountId, parameters, request.ScheduledFor, replayOf.Count == 1 ? replayOf[0] : null, items,
                settings.BatchSize, RunKey, request.IdempotencyKey),
            CancellationToken.None);
        if (!created)
        {
            // Another trigger won the race for this job's run key, or served this occurrence or key already.
            await AdoptOrResumeAsync();
            return new RunTicket(run.RunId, false, run.Status);
        }

        crash.Reached(CrashPoints.RunCreated);
        state.State.CurrentRunId = run.RunId;
        state.State.CurrentReplayOf = [.. replayOf];
        await state.WriteStateAsync();
        var trigger = request.Trigger.ToText();
        LogRunStarted(logger, Job, run.RunId, trigger, items.Count);
        JobsTelemetry.RunStarted(Job, request.Trigger);
        StartLoop(run, definition, settings, fresh: true);
        return new RunTicket(run.RunId, true, RunStatus.Running);
    }

    public async Task<RunTicket?> EnsureRunning()
    {
        await AdoptOrResumeAsync();
        return state.State.CurrentRunId is { } current ? new RunTicket(current, false, RunStatus.Running) : null;
    }

    public Task<JobSnapshot> GetSnapshot() => Task.FromResult(new JobSnapshot(
        Job, state.State.CurrentRunId, state.State.LastRunId, LastStatus(state.State), state.State.LastFinishedAt));

    public async Task RunFinished(Guid runId, RunStatus status)
    {
        if (state.State.CurrentRunId != runId)
        {
            return;
        }

        if (state.State.CurrentReplayOf.Count > 0)
        {
            await store.MarkReplayedAsync(state.State.CurrentReplayOf, runId, CancellationToken.None);
        }

        // Before the state is cleared: a crash in between tells the definition again, so its hook must be idempotent.
        await TellDefinitionAsync(runId, status);

        state.State.LastRunId = runId;
        // State is a database edge: the status is stored as its text, as it always was.
        state.State.LastStatus = status.ToText();
        state.State.LastFinishedAt = time.GetUtcNow();
        state.State.CurrentRunId = null;
        state.State.CurrentReplayOf = [];
        await state.WriteStateAsync();
        _loop = null;
        // Read back only when another activation registered it (this one was activated for a run already going).
        if ((_watchdog ?? await this.GetReminder(WatchdogReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _watchdog = null;
    }

    /// <summary>The last run's status; null before the first run ended (or if the stored text is no status's: a row no silo wrote).</summary>
    private static RunStatus? LastStatus(JobState stored) =>
        RunStatus.TryFromText(stored.LastStatus, out var status) ? status : null;

    private async Task TellDefinitionAsync(Guid runId, RunStatus status)
    {
        if (!catalog.TryGet(Job, out var definition, out _))
        {
            return;
        }

        try
        {
            var run = _ended is { } ended && ended.RunId == runId ? ended : await store.GetRunAsync(runId, CancellationToken.None);
            _ended = null;
            await definition.RunFinishedAsync(new JobRunOutcome(runId, Job, status, run?.Error, run?.ItemsProcessed ?? 0, run), CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFinishHookFailed(logger, Job, runId, exception);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder)
        {
            return;
        }

        await AdoptOrResumeAsync();
        if (state.State.CurrentRunId is null && await this.GetReminder(WatchdogReminder) is { } reminder)
        {
            // No run, not even one whose row was written while this grain's state never heard of it: rest.
            await this.UnregisterReminder(reminder);
            _watchdog = null;
        }
    }

    /// <summary>
    /// Adopts the job's active run when the state does not know it (the silo died after the run's row was written and
    /// before the state was), then resumes the current run's loop unless it runs here.
    /// </summary>
    private async Task AdoptOrResumeAsync()
    {
        if (state.State.CurrentRunId is null)
        {
            if (await store.FindActiveRunAsync(Job, RunKey, CancellationToken.None) is not { } stranded)
            {
                return;
            }

            LogRunAdopted(logger, Job, stranded.RunId);
            state.State.CurrentRunId = stranded.RunId;
            state.State.CurrentReplayOf = stranded.ReplayOf is { } replayed ? [replayed] : [];
            await state.WriteStateAsync();
            _watchdog = await this.RegisterOrUpdateReminder(WatchdogReminder, options.Value.WatchdogPeriod, options.Value.WatchdogPeriod);
        }

        await ResumeAsync();
    }

    /// <summary>Restarts the loop of the current run unless it is running here; finishes the bookkeeping of a run that already ended.</summary>
    private async Task ResumeAsync()
    {
        if (_loop is { IsCompleted: false } || state.State.CurrentRunId is not { } runId)
        {
            return;
        }

        var run = await store.GetRunAsync(runId, CancellationToken.None);
        if (run is null || RunStatus.IsFinal(run.Status) || !catalog.TryGet(Job, out var definition, out var settings))
        {
            await RunFinished(runId, run?.Status ?? RunStatus.Failed);
            return;
        }

        LogRunResuming(logger, Job, runId);
        StartLoop(run, definition, settings);
    }

    public void Dispose() => _stop?.Dispose();

    /// <param name="fresh">The run was created by this call: it has no checkpoint to read.</param>
    private void StartLoop(JobRunRecord run, IJobDefinition definition, JobSettings settings, bool fresh = false)
    {
        _stop?.Dispose();
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        var self = this.AsReference<IJobRunOwner>();
        var jobLogger = logger;
        _loop = Task.Run(async () =>
        {
            JobRunRecord ended;
            try
            {
                var effective = definition.SettingsFor(settings, new RunRequest(run.Trigger, run.AccountId, run.Parameters, run.ScheduledFor));
                ended = await executor.ExecuteAsync(run, definition, effective, token, fresh);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database stayed unreachable past its tolerance, or a bug: the run stays 'running', and the
                // supervisor's next sweep (or the watchdog) resumes it from its checkpoint.
                LogLoopFailed(jobLogger, run.Job, run.RunId, exception);
                return;
            }

            // Handed over before the call that reads it; the call is queued after this write.
            _ended = ended;
            await self.RunFinished(run.RunId, ended.Status);
        }, CancellationToken.None);
    }

    private async Task<(IReadOnlyList<string> Items, string? AccountId, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<long> ReplayOf)> ReplayPlanAsync(RunRequest request)
    {
        var ids = request.DeadLetterIds ?? [];
        var letters = new List<DeadLetterRecord>();
        foreach (var id in ids)
        {
            var letter = await store.GetDeadLetterAsync(id, CancellationToken.None);
            if (letter is null || letter.Job != Job)
            {
                throw new ArgumentException($"Dead letter {id} does not belong to job '{Job}'.");
            }

            letters.Add(letter);
        }

        if (letters.Count == 0)
        {
            throw new ArgumentException("A replay needs at least one dead letter id.");
        }

        var items = letters.SelectMany(l => l.Items).Distinct(StringComparer.Ordinal).ToList();
        return (items, letters[0].AccountId, letters[0].Parameters, ids);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Job}/{RunId} started by {Trigger} with {Items} items")]
    private static partial void LogRunStarted(ILogger logger, string job, Guid runId, string trigger, int items);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Job}/{RunId} was active but unknown to its job's state (its silo died as it started); adopting it")]
    private static partial void LogRunAdopted(ILogger logger, string job, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Job}/{RunId} resuming from its checkpoint")]
    private static partial void LogRunResuming(ILogger logger, string job, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Job}/{RunId} finished, but its job definition failed to take note")]
    private static partial void LogFinishHookFailed(ILogger logger, string job, Guid runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Job}/{RunId} loop failed; it resumes from its checkpoint at the next sweep")]
    private static partial void LogLoopFailed(ILogger logger, string job, Guid runId, Exception exception);
}
