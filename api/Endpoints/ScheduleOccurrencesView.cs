using Tributary.Scheduling;

namespace Tributary.Api.Endpoints;

/// <summary>What a schedule's cron produces next, read from the silo's clock (the clock that triggers the runs).</summary>
/// <param name="Enabled">False while paused: the occurrences are what the cron names, but none runs until resumed.</param>
/// <param name="After">The occurrences are the first ones strictly after this instant (now, UTC).</param>
/// <param name="Occurrences">Oldest first.</param>
public sealed record ScheduleOccurrencesView(string Job, string Cron, string TimeZone, bool Enabled, DateTime After, IReadOnlyList<ScheduleOccurrenceView> Occurrences)
{
    public static ScheduleOccurrencesView From(ScheduleOccurrences occurrences)
    {
        ArgumentNullException.ThrowIfNull(occurrences);
        return new ScheduleOccurrencesView(
            occurrences.Job, occurrences.Cron, occurrences.TimeZone, occurrences.Enabled, occurrences.After,
            occurrences.Occurrences.Select(ScheduleOccurrenceView.From).ToList());
    }
}
