using System.Text.Json.Serialization;
using Tributary.Scheduling;

namespace Tributary.Api.Endpoints;

/// <summary>The schedule of one job as the API shows it.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Configured">False when the job has no schedule (every other field is then empty).</param>
/// <param name="Cron">5 fields (minute precision) or 6 (the first is seconds).</param>
/// <param name="TimeZone">IANA id the cron is read in, e.g. <c>Europe/Zurich</c>.</param>
/// <param name="Misfire"><c>skip</c>, <c>once</c> or <c>all</c>: what the schedule does with missed occurrences.</param>
/// <param name="MaxCatchUp">With <c>all</c>: the most missed occurrences kept to run after an outage.</param>
/// <param name="Enabled">False while paused.</param>
/// <param name="NextDue">The next occurrence after the last tick (null when paused or never again).</param>
/// <param name="HandledThrough">Occurrences up to this instant have been queued, run or dropped.</param>
/// <param name="Pending">Due occurrences waiting for the job to be free, oldest first.</param>
/// <param name="Dropped">Occurrences the misfire policy decided never to run, since the schedule was created.</param>
/// <param name="LastOccurrence">The occurrence the last scheduled trigger served.</param>
/// <param name="LastRunId">The run the last trigger (scheduled or manual) started or joined.</param>
/// <param name="LastTriggeredAt">When that trigger happened.</param>
/// <param name="LastOutcome"><c>started</c>, <c>already_served</c>, <c>job_busy</c> or <c>failed</c>.</param>
/// <param name="LastMessage">The last outcome in a sentence.</param>
/// <param name="LastTickAt">When the last heartbeat ran.</param>
/// <param name="ChangedBy"><c>configuration</c> or <c>api</c>: who last changed the schedule.</param>
/// <param name="UpdatedAt">When the schedule was last changed.</param>
public sealed record ScheduleView(
    string Job,
    bool Configured,
    string? Cron,
    string? TimeZone,
    [property: JsonConverter(typeof(SnakeCaseEnumConverter<MisfirePolicy>))] MisfirePolicy? Misfire,
    int MaxCatchUp,
    bool Enabled,
    DateTimeOffset? NextDue,
    DateTimeOffset? HandledThrough,
    IReadOnlyList<DateTimeOffset> Pending,
    long Dropped,
    DateTimeOffset? LastOccurrence,
    Guid? LastRunId,
    DateTimeOffset? LastTriggeredAt,
    string? LastOutcome,
    string? LastMessage,
    DateTimeOffset? LastTickAt,
    string? ChangedBy,
    DateTimeOffset? UpdatedAt)
{
    public static ScheduleView From(ScheduleSnapshot schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new ScheduleView(
            schedule.Job, schedule.Configured, schedule.Cron, schedule.TimeZone, schedule.Misfire, schedule.MaxCatchUp, schedule.Enabled, schedule.NextDue,
            schedule.HandledThrough, schedule.Pending, schedule.Dropped, schedule.LastOccurrence, schedule.LastRunId, schedule.LastTriggeredAt,
            schedule.LastOutcome, schedule.LastMessage, schedule.LastTickAt, schedule.ChangedBy, schedule.UpdatedAt);
    }
}
