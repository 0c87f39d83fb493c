namespace Tributary.Scheduling;

/// <summary>Durable state of a <see cref="ScheduleGrain"/>.</summary>
/// <remarks>Stored rows carry this type's alias: keep it and the ids stable, a rename is a migration.</remarks>
[GenerateSerializer, Alias("Tributary.Scheduling.ScheduleState")]
public sealed class ScheduleState
{
    /// <summary>The cron expression; null while the job has no schedule.</summary>
    [Id(0)] public string? Cron { get; set; }
    [Id(1)] public string TimeZone { get; set; } = ScheduleLimits.DefaultTimeZone;
    /// <summary>The misfire policy's text (<see cref="MisfirePolicyExtensions.ToText"/>): state is a database edge, and rows already stored hold text.</summary>
    [Id(2)] public string Misfire { get; set; } = MisfirePolicy.Skip.ToText();
    [Id(3)] public int MaxCatchUp { get; set; } = ScheduleLimits.DefaultMaxCatchUp;
    [Id(4)] public bool Enabled { get; set; }

    /// <summary>The cursor: occurrences at or before it were queued, run or dropped (the schedule's start before its first occurrence).</summary>
    [Id(5)] public DateTimeOffset? HandledThrough { get; set; }

    /// <summary>The backlog: due occurrences waiting for the job, oldest first.</summary>
    [Id(6)] public List<DateTimeOffset> Pending { get; set; } = [];
    [Id(7)] public DateTimeOffset? NextDue { get; set; }
    [Id(8)] public long Dropped { get; set; }
    [Id(9)] public DateTimeOffset? LastOccurrence { get; set; }
    [Id(10)] public Guid? LastRunId { get; set; }
    [Id(11)] public DateTimeOffset? LastTriggeredAt { get; set; }
    [Id(12)] public string? LastOutcome { get; set; }
    [Id(13)] public string? LastMessage { get; set; }
    [Id(14)] public DateTimeOffset? LastTickAt { get; set; }
    [Id(15)] public string? ChangedBy { get; set; }
    [Id(16)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>
    /// The occurrence whose trigger was under way when the state was last written; set before the trigger and
    /// cleared after, so a crash in between is visible (the next tick asks the job, which knows whether it served it).
    /// </summary>
    [Id(17)] public DateTimeOffset? Triggering { get; set; }

    public bool Configured => Cron is not null;
}
