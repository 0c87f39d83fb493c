using Tributary.Jobs;

namespace Tributary.Scheduling;

/// <summary>
/// The single writer of one job's schedule (key <see cref="ScheduleKey.For"/>): cron, time zone, misfire
/// policy, the backlog of due occurrences and the outcome of the last trigger.
/// </summary>
/// <remarks>
/// A reminder is only a heartbeat that calls <see cref="Tick"/>: the schedule itself lives in grain state and
/// every tick reconciles what fell due since the last handled occurrence. Ticks can be late, missed or
/// duplicated; each is idempotent, and one cron occurrence never starts two runs.
/// </remarks>
[Alias("Tributary.Scheduling.IScheduleGrain")]
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>The schedule as stored; <see cref="ScheduleSnapshot.Configured"/> is false when the job has none.</summary>
    [Alias("Get")]
    Task<ScheduleSnapshot> Get();

    /// <summary>
    /// The next <paramref name="count"/> occurrences of the cron strictly after now (the silo's clock), in the
    /// schedule's zone and in UTC, each marked when daylight saving time moved it or chose one of two instances.
    /// Read-only: it neither queues nor runs anything, and a paused schedule lists them too.
    /// </summary>
    /// <param name="count">1..<see cref="ScheduleLimits.MaxOccurrences"/>.</param>
    /// <exception cref="ScheduleNotFoundException">The job is not registered or has no schedule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside 1..<see cref="ScheduleLimits.MaxOccurrences"/>.</exception>
    [Alias("Occurrences")]
    Task<ScheduleOccurrences> Occurrences(int count);

    /// <summary>
    /// An operator's change (the API): fields left null keep their value. A job without a schedule needs at
    /// least <see cref="ScheduleChange.Cron"/>. Changing the cron or the time zone restarts the schedule from now.
    /// </summary>
    /// <exception cref="InvalidScheduleException">A field is not valid; <see cref="InvalidScheduleException.Errors"/> names it and says why.</exception>
    /// <exception cref="ScheduleNotFoundException">No job of that name is registered.</exception>
    [Alias("Configure")]
    Task<ScheduleSnapshot> Configure(ScheduleChange change);

    /// <summary>
    /// Every problem <see cref="Configure"/> would refuse <paramref name="change"/> for, keyed as
    /// <see cref="InvalidScheduleException.Errors"/> (empty when it would be accepted). Changes nothing. The API asks
    /// it when a field it reads itself (the misfire policy's text) is bad, so that one 400 still names every bad field.
    /// </summary>
    /// <exception cref="ScheduleNotFoundException">No job of that name is registered.</exception>
    [Alias("Check")]
    Task<Dictionary<string, string[]>> Check(ScheduleChange change);

    /// <summary>
    /// The schedule from configuration (<c>Jobs:{job}:Schedule:*</c>), applied at silo start. It sets up a job
    /// that has no schedule, and follows configuration changes only while no operator changed the schedule.
    /// </summary>
    /// <returns>True when the configured schedule was applied, false when the stored one was kept.</returns>
    [Alias("ApplyConfigured")]
    Task<bool> ApplyConfigured(ScheduleChange configured);

    /// <summary>
    /// Returns the schedule to its configured default (<c>Jobs:{job}:Schedule:*</c>, else its domain's) and makes it
    /// follow configuration again: a later deployment's default is applied at start, as if no operator had changed it.
    /// </summary>
    /// <exception cref="ScheduleNotFoundException">The job is unknown or has no configured schedule.</exception>
    [Alias("ResetToConfigured")]
    Task<ScheduleSnapshot> ResetToConfigured();

    /// <summary>Stops triggering (the backlog is kept) and removes the heartbeat. Idempotent.</summary>
    /// <exception cref="ScheduleNotFoundException">The job has no schedule.</exception>
    [Alias("Pause")]
    Task<ScheduleSnapshot> Pause();

    /// <summary>
    /// Triggers again from now on: occurrences that fell while paused are not run (the pause was deliberate,
    /// not a misfire). Idempotent.
    /// </summary>
    /// <exception cref="ScheduleNotFoundException">The job has no schedule.</exception>
    [Alias("Resume")]
    Task<ScheduleSnapshot> Resume();

    /// <summary>Starts a manual run now, outside the cron, or joins the run under way (single-flight).</summary>
    /// <param name="idempotencyKey">The caller's request id: a retry with the same key gets the first attempt's run.</param>
    /// <exception cref="ScheduleNotFoundException">No job of that name is registered.</exception>
    [Alias("TriggerNow")]
    Task<RunTicket> TriggerNow(string? idempotencyKey = null);

    /// <summary>
    /// The heartbeat: queues the occurrences due since the last handled one per the misfire policy, then
    /// triggers the oldest queued occurrence unless the job is busy (it stays queued for the next tick).
    /// </summary>
    [Alias("Tick")]
    Task Tick();
}

/// <summary>The schedule of one job as its grain keeps it (the API shows it as its own <c>ScheduleView</c>).</summary>
/// <remarks>Called <c>ScheduleView</c> until the API had a view of its own; the alias keeps that name on the wire.</remarks>
/// <param name="Job">The job's name.</param>
/// <param name="Configured">False when the job has no schedule (every other field is then empty).</param>
/// <param name="Cron">5 fields (minute precision) or 6 (the first is seconds).</param>
/// <param name="TimeZone">IANA id the cron is read in, e.g. <c>Europe/Zurich</c>.</param>
/// <param name="Misfire">What the schedule does with missed occurrences.</param>
/// <param name="MaxCatchUp">With <c>all</c>: the most missed occurrences kept to run after an outage.</param>
/// <param name="Enabled">False while paused.</param>
/// <param name="NextDue">The next occurrence after the last tick (null when paused or never again).</param>
/// <param name="HandledThrough">Occurrences up to this instant have been queued, run or dropped.</param>
/// <param name="Pending">Due occurrences waiting for the job to be free, oldest first.</param>
/// <param name="Dropped">Occurrences the misfire policy decided never to run, since the schedule was created.</param>
/// <param name="LastOccurrence">The occurrence the last scheduled trigger served.</param>
/// <param name="LastRunId">The run the last trigger (scheduled or manual) started or joined.</param>
/// <param name="LastTriggeredAt">When that trigger happened.</param>
/// <param name="LastOutcome">One of <see cref="ScheduleOutcomes"/>.</param>
/// <param name="LastMessage">The last outcome in a sentence.</param>
/// <param name="LastTickAt">When the last heartbeat ran.</param>
/// <param name="ChangedBy"><see cref="ScheduleSources.Configuration"/> or <see cref="ScheduleSources.Api"/>.</param>
/// <param name="UpdatedAt">When the schedule was last changed.</param>
/// <param name="NotFound">
/// Why the call found nothing to act on (the job is unknown, or has no schedule, or no configured one), in
/// <see cref="ScheduleNotFoundException"/>'s words: a result, not an exception. Null when it acted.
/// </param>
[GenerateSerializer, Immutable, Alias("Tributary.Scheduling.ScheduleView")]
public sealed record ScheduleSnapshot(
    [property: Id(0)] string Job,
    [property: Id(1)] bool Configured,
    [property: Id(2)] string? Cron,
    [property: Id(3)] string? TimeZone,
    [property: Id(4)] MisfirePolicy? Misfire,
    [property: Id(5)] int MaxCatchUp,
    [property: Id(6)] bool Enabled,
    [property: Id(7)] DateTimeOffset? NextDue,
    [property: Id(8)] DateTimeOffset? HandledThrough,
    [property: Id(9)] IReadOnlyList<DateTimeOffset> Pending,
    [property: Id(10)] long Dropped,
    [property: Id(11)] DateTimeOffset? LastOccurrence,
    [property: Id(12)] Guid? LastRunId,
    [property: Id(13)] DateTimeOffset? LastTriggeredAt,
    [property: Id(14)] string? LastOutcome,
    [property: Id(15)] string? LastMessage,
    [property: Id(16)] DateTimeOffset? LastTickAt,
    [property: Id(17)] string? ChangedBy,
    [property: Id(18)] DateTimeOffset? UpdatedAt,
    [property: Id(19)] string? NotFound = null);

/// <summary>A change to a schedule; null fields keep their value (or take the default on a new schedule).</summary>
/// <param name="Cron">5 fields, or 6 with seconds first; required for a job without a schedule.</param>
/// <param name="TimeZone">IANA id; default <c>UTC</c>.</param>
/// <param name="Misfire">Default <see cref="MisfirePolicy.Skip"/>.</param>
/// <param name="MaxCatchUp">1..<see cref="ScheduleLimits.MaxCatchUpLimit"/>; default <see cref="ScheduleLimits.DefaultMaxCatchUp"/>.</param>
/// <param name="Enabled">Default true.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Scheduling.ScheduleChange")]
public sealed record ScheduleChange(
    [property: Id(0)] string? Cron = null,
    [property: Id(1)] string? TimeZone = null,
    [property: Id(2)] MisfirePolicy? Misfire = null,
    [property: Id(3)] int? MaxCatchUp = null,
    [property: Id(4)] bool? Enabled = null);

/// <summary>Defaults and bounds shared by the grain and the API.</summary>
public static class ScheduleLimits
{
    public const string DefaultTimeZone = "UTC";
    public const int DefaultMaxCatchUp = 10;
    public const int MaxCatchUpLimit = 1_000;

    /// <summary>How many upcoming occurrences <see cref="IScheduleGrain.Occurrences"/> lists when not told.</summary>
    public const int DefaultOccurrences = 5;

    /// <summary>The most upcoming occurrences one call lists.</summary>
    public const int MaxOccurrences = 100;
}

/// <summary>Who last changed a schedule.</summary>
public static class ScheduleSources
{
    /// <summary>Seeded from <c>Jobs:{job}:Schedule:*</c>; configuration changes keep applying.</summary>
    public const string Configuration = "configuration";

    /// <summary>Changed by an operator; configuration never overwrites it.</summary>
    public const string Api = "api";
}

/// <summary>What the last trigger of a schedule did.</summary>
public static class ScheduleOutcomes
{
    /// <summary>A run was started for the occurrence (or by <c>TriggerNow</c>).</summary>
    public const string Started = "started";

    /// <summary>The job had already served this occurrence (a repeated tick); nothing new started.</summary>
    public const string AlreadyServed = "already_served";

    /// <summary>The job was running another run; the occurrence stays pending for the next tick.</summary>
    public const string JobBusy = "job_busy";

    /// <summary>The trigger failed; the occurrence stays pending for the next tick.</summary>
    public const string Failed = "failed";
}

/// <summary>Grain keys of schedules: never the raw job name (hex-like string keys collide in AdoNet storage).</summary>
public static class ScheduleKey
{
    public const string Prefix = "schedule:";

    /// <summary>
    /// The schedule of a job, or of one run key of it (<c>schedule:{job}#{runKey}</c>: a bank connection's recurring
    /// import), whose occurrences trigger that run key's job grain.
    /// </summary>
    public static string For(string job, string? runKey = null) => runKey is null ? Prefix + job : $"{Prefix}{job}{JobKey.RunKeySeparator}{runKey}";

    /// <summary>The job of a schedule key.</summary>
    public static string NameOf(string key) => Split(key).Job;

    /// <summary>The run key of a schedule key; null for a job's own schedule.</summary>
    public static string? RunKeyOf(string key) => Split(key).RunKey;

    private static (string Job, string? RunKey) Split(string key)
    {
        var rest = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
        var separator = rest.IndexOf(JobKey.RunKeySeparator, StringComparison.Ordinal);
        return separator < 0 ? (rest, null) : (rest[..separator], rest[(separator + 1)..]);
    }
}
