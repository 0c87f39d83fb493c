using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Jobs;
using Tributary.Storage.Jobs;

namespace Tributary.Scheduling;

/// <inheritdoc cref="IScheduleGrain"/>
/// <remarks>
/// <para>Exactly-once per occurrence rests on three things: the grain is the single writer of its state and
/// handles one call at a time, so concurrent ticks queue behind each other; an occurrence is written to the
/// backlog <em>before</em> its trigger and leaves it only <em>after</em> the job answered, so a crash in
/// between re-triggers it; and the job serves a repeated <see cref="RunRequest.ScheduledFor"/> with the run
/// that already served it (a unique index in storage) instead of starting another.</para>
/// <para>The heartbeat reminder exists while the schedule is enabled. Enabling registers it before the state
/// is written and pausing removes it after, so a crash leaves at most a stray reminder, which removes itself
/// at its next tick.</para>
/// </remarks>
[GrainType("schedule")]
public sealed partial class ScheduleGrain(
    [PersistentState("schedule", StorageNames.GrainState)] IPersistentState<ScheduleState> state,
    IEnumerable<IJobDefinition> definitions,
    IOptions<SchedulingOptions> options,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    IEnumerable<JobScheduleDefault> defaults,
    TimeProvider time,
    ILogger<ScheduleGrain> logger) : Grain, IScheduleGrain, IRemindable
{
    /// <summary>The refusal of a change that would leave the schedule as it is.</summary>
    public const string NothingToChange = "Nothing to change: the schedule already has these values.";

    /// <summary>The heartbeat reminder's name.</summary>
    public const string HeartbeatReminder = "schedule-heartbeat";

    private string Job => ScheduleKey.NameOf(this.GetPrimaryKeyString());

    /// <summary>The run key this schedule triggers (a connection's recurring import); null for the job's own schedule.</summary>
    private string? RunKey => ScheduleKey.RunKeyOf(this.GetPrimaryKeyString());

    public Task<ScheduleSnapshot> Get() => Task.FromResult(View());

    public Task<ScheduleOccurrences> Occurrences(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ScheduleLimits.MaxOccurrences);
        if (Missing(needsSchedule: true) is { } why)
        {
            return Task.FromResult(new ScheduleOccurrences(Job, string.Empty, string.Empty, false, time.GetUtcNow().UtcDateTime, [], why));
        }

        var now = time.GetUtcNow();
        var schedule = StoredSchedule();
        return Task.FromResult(new ScheduleOccurrences(Job, schedule.Cron, schedule.Zone.Id, state.State.Enabled, now.UtcDateTime, schedule.Upcoming(now, count)));
    }

    public async Task<ScheduleSnapshot> Configure(ScheduleChange change)
    {
        if (Missing(needsSchedule: false) is { } why)
        {
            return View() with { NotFound = why };
        }

        var stored = state.State;
        var schedule = TryChange(change, out var changed, out var errors) ? changed : throw new InvalidScheduleException(errors);
        var enabled = change.Enabled ?? (!stored.Configured || stored.Enabled);
        if (IsStored(schedule, enabled))
        {
            // Nothing would change, so nothing is written: above all not ChangedBy, which would stop the schedule from
            // following its configured default.
            throw new InvalidScheduleException(new Dictionary<string, string[]> { ["body"] = [NothingToChange] });
        }

        await ApplyAsync(schedule, enabled, ScheduleSources.Api);
        return View();
    }

    public Task<Dictionary<string, string[]>> Check(ScheduleChange change)
    {
        if (Missing(needsSchedule: false) is { } why)
        {
            return Task.FromResult(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["job"] = [why] });
        }

        TryChange(change, out _, out var errors);
        return Task.FromResult(new Dictionary<string, string[]>(errors));
    }

    public async Task<ScheduleSnapshot> ResetToConfigured()
    {
        if (Missing(needsSchedule: false) is { } why)
        {
            return View() with { NotFound = why };
        }

        if (!ConfiguredSchedules.WithDefaults(configuration, defaults).TryGetValue(Job, out var configured))
        {
            return View() with { NotFound = ScheduleNotFoundException.NoDefault(Job).Message };
        }

        var schedule = FromConfiguration(configured);
        await ApplyAsync(schedule, configured.Enabled ?? true, ScheduleSources.Configuration);
        return View();
    }

    public async Task<bool> ApplyConfigured(ScheduleChange configured)
    {
        if (Missing(needsSchedule: false) is not null)
        {
            // Configuration names a job no silo registers: nothing to apply (the bootstrap logs it).
            return false;
        }

        var stored = state.State;
        if (stored.Configured && stored.ChangedBy != ScheduleSources.Configuration)
        {
            return false;
        }

        var schedule = FromConfiguration(configured);
        var enabled = configured.Enabled ?? true;
        if (IsStored(schedule, enabled))
        {
            return false;
        }

        await ApplyAsync(schedule, enabled, ScheduleSources.Configuration);
        return true;
    }

    public async Task<ScheduleSnapshot> Pause()
    {
        if (Missing(needsSchedule: true) is { } why)
        {
            return View() with { NotFound = why };
        }

        if (state.State.Enabled)
        {
            state.State.Enabled = false;
            state.State.NextDue = null;
            state.State.ChangedBy = ScheduleSources.Api;
            state.State.UpdatedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            LogPaused(logger, Job);
        }

        await UnregisterHeartbeatAsync();
        return View();
    }

    public async Task<ScheduleSnapshot> Resume()
    {
        if (Missing(needsSchedule: true) is { } why)
        {
            return View() with { NotFound = why };
        }

        await RegisterHeartbeatAsync();
        if (!state.State.Enabled)
        {
            var now = time.GetUtcNow();
            var schedule = StoredSchedule();
            state.State.Enabled = true;
            state.State.HandledThrough = now;
            state.State.NextDue = schedule.NextAfter(now);
            state.State.ChangedBy = ScheduleSources.Api;
            state.State.UpdatedAt = now;
            await state.WriteStateAsync();
            LogResumed(logger, Job, state.State.NextDue);
        }

        return View();
    }

    public async Task<RunTicket> TriggerNow(string? idempotencyKey = null)
    {
        if (Missing(needsSchedule: false) is { } why)
        {
            return RunTicket.UnknownJob(Job) with { NotFound = why };
        }

        var ticket = await JobGrain.Trigger(new RunRequest(RunTrigger.Manual, IdempotencyKey: idempotencyKey));
        if (ticket.NotFound is not null)
        {
            return ticket;
        }

        if (state.State.Configured)
        {
            state.State.LastRunId = ticket.RunId;
            state.State.LastTriggeredAt = time.GetUtcNow();
            state.State.LastOutcome = ticket.Started ? ScheduleOutcomes.Started : ScheduleOutcomes.JobBusy;
            state.State.LastMessage = ticket.Started
                ? $"Manual trigger started run {ticket.RunId}."
                : $"Manual trigger joined run {ticket.RunId}, already {ticket.Status.ToText()}.";
            await state.WriteStateAsync();
        }

        return ticket;
    }

    public async Task Tick()
    {
        var stored = state.State;
        if (!stored.Configured || !stored.Enabled)
        {
            return;
        }

        var now = time.GetUtcNow();
        stored.LastTickAt = now;
        if (!CronSchedule.TryCreate(stored.Cron, stored.TimeZone, stored.Misfire, stored.MaxCatchUp, out var schedule, out var errors))
        {
            // Only a library change could make a stored schedule invalid; say so instead of failing every tick.
            Record(ScheduleOutcomes.Failed, "The stored schedule is no longer valid: " + new InvalidScheduleException(errors).Message);
            await state.WriteStateAsync();
            return;
        }

        var decision = ScheduleCalculator.Reconcile(schedule, stored.HandledThrough ?? now, stored.Pending, now, options.Value.MisfireGrace);
        stored.Pending = [.. decision.Run];
        stored.Dropped += decision.Dropped;
        stored.HandledThrough = decision.HandledThrough;
        stored.NextDue = decision.NextDue;
        if (decision.Dropped > 0)
        {
            LogDropped(logger, Job, decision.Dropped, schedule.Misfire.ToText());
        }

        // Each pass triggers the oldest pending occurrence. An occurrence the job already served leaves the
        // backlog and the next one is tried; a started run or a busy job ends the tick (the job runs one at a time).
        while (stored.Pending.Count > 0)
        {
            var occurrence = stored.Pending[0];
            stored.Triggering = occurrence;
            await state.WriteStateAsync();

            RunTicket ticket;
            try
            {
                ticket = await JobGrain.Trigger(new RunRequest(RunTrigger.Schedule, ScheduledFor: occurrence));
            }
            catch (Exception exception)
            {
                stored.Triggering = null;
                Record(ScheduleOutcomes.Failed, $"Triggering the occurrence of {occurrence:O} failed ({exception.GetType().Name}: {exception.Message}); it stays pending for the next tick.");
                await state.WriteStateAsync();
                LogTriggerFailed(logger, Job, occurrence, exception);
                return;
            }

            stored.Triggering = null;
            if (ticket.NotFound is { } missing)
            {
                // The job left the silos (a deployment removed it) while its schedule stayed: say so at every tick.
                Record(ScheduleOutcomes.Failed, $"{missing} The occurrence of {occurrence:O} stays pending.");
                break;
            }

            if (!ticket.Started && !RunStatus.IsFinal(ticket.Status))
            {
                // Busy with another run, or the run serving this very occurrence is still under way: either way
                // the next tick asks again, and the job answers "served" once that run is final.
                Record(ScheduleOutcomes.JobBusy, $"Job busy with run {ticket.RunId} ({ticket.Status.ToText()}); the occurrence of {occurrence:O} stays pending.");
                break;
            }

            stored.Pending.RemoveAt(0);
            stored.LastOccurrence = occurrence;
            stored.LastRunId = ticket.RunId;
            stored.LastTriggeredAt = now;
            if (ticket.Started)
            {
                Record(ScheduleOutcomes.Started, $"Started run {ticket.RunId} for the occurrence of {occurrence:O}.");
                LogStarted(logger, Job, ticket.RunId, occurrence);
                break;
            }

            Record(ScheduleOutcomes.AlreadyServed, $"The occurrence of {occurrence:O} was already served by run {ticket.RunId} ({ticket.Status.ToText()}).");
        }

        await state.WriteStateAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != HeartbeatReminder)
        {
            return;
        }

        if (!state.State.Configured || !state.State.Enabled)
        {
            // A heartbeat left over from a pause interrupted between its write and the unregistration.
            await UnregisterHeartbeatAsync();
            return;
        }

        await Tick();
    }

    private IJobGrain JobGrain => GrainFactory.GetGrain<IJobGrain>(JobKey.For(Job, RunKey));

    private async Task ApplyAsync(CronSchedule schedule, bool enabled, string source)
    {
        var stored = state.State;
        var now = time.GetUtcNow();
        var isNew = !stored.Configured;

        // A new cron or zone starts from now: occurrences of the new expression before now were never due.
        // So does re-enabling: what fell while paused was deliberately not run. Owed occurrences stay pending.
        var restart = isNew || stored.Cron != schedule.Cron || stored.TimeZone != schedule.Zone.Id || (enabled && !stored.Enabled);
        stored.Cron = schedule.Cron;
        stored.TimeZone = schedule.Zone.Id;
        // State is a database edge: the policy is stored as its text, as it always was.
        stored.Misfire = schedule.Misfire.ToText();
        stored.MaxCatchUp = schedule.MaxCatchUp;
        stored.Enabled = enabled;
        if (restart || stored.HandledThrough is null)
        {
            stored.HandledThrough = now;
        }

        stored.NextDue = enabled ? schedule.NextAfter(stored.HandledThrough > now ? stored.HandledThrough.Value : now) : null;
        stored.ChangedBy = source;
        stored.UpdatedAt = now;

        if (isNew && RunKey is null)
        {
            // Listed before it is stored: the directory may name a job whose first write failed, never the reverse.
            // A run key's schedule (a connection's recurring import) is listed with what it belongs to instead.
            await GrainFactory.GetGrain<IScheduleDirectoryGrain>(IScheduleDirectoryGrain.Key).Add(Job);
        }

        if (enabled)
        {
            await RegisterHeartbeatAsync();
            await state.WriteStateAsync();
        }
        else
        {
            await state.WriteStateAsync();
            await UnregisterHeartbeatAsync();
        }

        LogConfigured(logger, Job, schedule.Cron, schedule.Zone.Id, stored.Misfire, enabled, source);
    }

    private async Task RegisterHeartbeatAsync()
    {
        var period = options.Value.HeartbeatPeriod;
        await this.RegisterOrUpdateReminder(HeartbeatReminder, period, period);
    }

    private async Task UnregisterHeartbeatAsync()
    {
        if (await this.GetReminder(HeartbeatReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private CronSchedule StoredSchedule() =>
        CronSchedule.Create(state.State.Cron, state.State.TimeZone, state.State.Misfire, state.State.MaxCatchUp);

    /// <summary>The stored schedule with <paramref name="change"/>'s fields over it (the stored policy read from its text); every problem when invalid.</summary>
    private bool TryChange(ScheduleChange change, [NotNullWhen(true)] out CronSchedule? schedule, out IReadOnlyDictionary<string, string[]> errors)
    {
        var stored = state.State;
        var cron = change.Cron ?? stored.Cron;
        var timeZone = change.TimeZone ?? stored.TimeZone;
        var maxCatchUp = change.MaxCatchUp ?? stored.MaxCatchUp;
        return change.Misfire is { } misfire
            ? CronSchedule.TryCreate(cron, timeZone, misfire, maxCatchUp, out schedule, out errors)
            : CronSchedule.TryCreate(cron, timeZone, stored.Misfire, maxCatchUp, out schedule, out errors);
    }

    /// <summary>The stored policy; null only if the stored text is no policy's (a row no silo wrote).</summary>
    private static MisfirePolicy? StoredMisfire(ScheduleState stored) =>
        MisfirePolicy.TryFromText(stored.Misfire, out var policy, out _) ? policy : null;

    private void Record(string outcome, string message)
    {
        state.State.LastOutcome = outcome;
        state.State.LastMessage = message;
    }

    /// <summary>A configured schedule (<c>Jobs:{job}:Schedule:*</c> or a domain's default) with the defaults of its unset fields.</summary>
    private static CronSchedule FromConfiguration(ScheduleChange configured) => CronSchedule.Create(
        configured.Cron,
        configured.TimeZone ?? ScheduleLimits.DefaultTimeZone,
        configured.Misfire ?? MisfirePolicy.Skip,
        configured.MaxCatchUp ?? ScheduleLimits.DefaultMaxCatchUp);

    /// <summary>True when the stored schedule is exactly <paramref name="schedule"/>, enabled as <paramref name="enabled"/>: applying it would change nothing.</summary>
    private bool IsStored(CronSchedule schedule, bool enabled)
    {
        var stored = state.State;
        return stored.Configured && stored.Cron == schedule.Cron && stored.TimeZone == schedule.Zone.Id
            && stored.Misfire == schedule.Misfire.ToText() && stored.MaxCatchUp == schedule.MaxCatchUp && stored.Enabled == enabled;
    }

    /// <summary>
    /// Why this grain cannot act, in <see cref="ScheduleNotFoundException"/>'s words (the job is unknown, or has no
    /// schedule when <paramref name="needsSchedule"/>), or null. A result the caller reads, not an exception.
    /// </summary>
    private string? Missing(bool needsSchedule)
    {
        var job = Job;
        if (!definitions.Any(d => d.Name == job))
        {
            return ScheduleNotFoundException.UnknownJob(job).Message;
        }

        return needsSchedule && !state.State.Configured ? ScheduleNotFoundException.NoSchedule(job).Message : null;
    }

    private ScheduleSnapshot View()
    {
        var s = state.State;
        return s.Configured
            ? new ScheduleSnapshot(Job, true, s.Cron, s.TimeZone, StoredMisfire(s), s.MaxCatchUp, s.Enabled, s.NextDue, s.HandledThrough,
                [.. s.Pending], s.Dropped, s.LastOccurrence, s.LastRunId, s.LastTriggeredAt, s.LastOutcome, s.LastMessage,
                s.LastTickAt, s.ChangedBy, s.UpdatedAt)
            : new ScheduleSnapshot(Job, false, null, null, null, 0, false, null, null, [], 0, null, null, null, null, null, null, null, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} set to '{Cron}' in {TimeZone}, misfire {Misfire}, enabled {Enabled} (by {Source})")]
    private static partial void LogConfigured(ILogger logger, string job, string cron, string timeZone, string misfire, bool enabled, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} paused")]
    private static partial void LogPaused(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} resumed; next due {NextDue}")]
    private static partial void LogResumed(ILogger logger, string job, DateTimeOffset? nextDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Job} started run {RunId} for the occurrence of {Occurrence}")]
    private static partial void LogStarted(ILogger logger, string job, Guid runId, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Job} dropped {Count} missed occurrences (misfire policy {Misfire})")]
    private static partial void LogDropped(ILogger logger, string job, long count, string misfire);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Job} could not trigger the occurrence of {Occurrence}; it stays pending")]
    private static partial void LogTriggerFailed(ILogger logger, string job, DateTimeOffset occurrence, Exception exception);
}
