using Tributary.Scheduling;

namespace Tributary.Api.Endpoints;

/// <summary>One occurrence of a cron in its zone, and how daylight saving time placed it.</summary>
/// <param name="Utc">The instant, UTC.</param>
/// <param name="Local">The same instant on the schedule zone's clock, with that zone's offset at the time.</param>
/// <param name="MovedByDstGap">True when the local time the cron names does not exist that day and the run moves to the first instant after the gap.</param>
/// <param name="MovedFrom">With <paramref name="MovedByDstGap"/>: the skipped local time the cron names (no offset: it has none).</param>
/// <param name="DstOverlap"><c>first</c> or <c>second</c> when the local time happens twice that day and this run is that instance; null otherwise.</param>
/// <param name="Note">What daylight saving time did to this occurrence, in a sentence; null when nothing.</param>
public sealed record ScheduleOccurrenceView(DateTime Utc, DateTimeOffset Local, bool MovedByDstGap, DateTime? MovedFrom, string? DstOverlap, string? Note)
{
    public static ScheduleOccurrenceView From(ScheduleOccurrence occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        return new ScheduleOccurrenceView(occurrence.Utc, occurrence.Local, occurrence.MovedByDstGap, occurrence.MovedFrom, occurrence.DstOverlap, occurrence.Note);
    }
}
