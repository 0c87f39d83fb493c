namespace Tributary.Scheduling;

/// <summary>What a schedule's cron produces next, read from the silo's clock (the clock that triggers the runs).</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Cron">The schedule's cron expression.</param>
/// <param name="TimeZone">The IANA zone the cron is read in.</param>
/// <param name="Enabled">False while paused: the occurrences are what the cron names, but none runs until resumed.</param>
/// <param name="After">The occurrences are the first ones strictly after this instant (now, UTC).</param>
/// <param name="Occurrences">Oldest first; fewer than asked only when the cron ends (it has no year field, so never in practice).</param>
/// <param name="NotFound">Why there are none: the job is unknown or has no schedule (a result, not an exception); null otherwise.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Scheduling.ScheduleOccurrences")]
public sealed record ScheduleOccurrences(
    [property: Id(0)] string Job,
    [property: Id(1)] string Cron,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] bool Enabled,
    [property: Id(4)] DateTime After,
    [property: Id(5)] IReadOnlyList<ScheduleOccurrence> Occurrences,
    [property: Id(6)] string? NotFound = null);

/// <summary>One occurrence of a cron in its zone, and how daylight saving time placed it.</summary>
/// <param name="Utc">The instant, UTC (<see cref="DateTimeKind.Utc"/>, so JSON writes it with <c>Z</c>).</param>
/// <param name="Local">The same instant on the schedule zone's clock, with that zone's offset at the time.</param>
/// <param name="MovedByDstGap">
/// True when the local time the cron names does not exist that day (the clocks jump over it) and the run moves
/// to the first instant after the gap.
/// </param>
/// <param name="MovedFrom">With <paramref name="MovedByDstGap"/>: the skipped local time the cron names (no offset: it has none).</param>
/// <param name="DstOverlap">
/// <see cref="DstOverlaps.First"/> or <see cref="DstOverlaps.Second"/> when the local time happens twice that day
/// (the clocks go back) and this run is that instance; null otherwise.
/// </param>
/// <param name="Note">What daylight saving time did to this occurrence, in a sentence; null when nothing.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Scheduling.ScheduleOccurrence")]
public sealed record ScheduleOccurrence(
    [property: Id(0)] DateTime Utc,
    [property: Id(1)] DateTimeOffset Local,
    [property: Id(2)] bool MovedByDstGap = false,
    [property: Id(3)] DateTime? MovedFrom = null,
    [property: Id(4)] string? DstOverlap = null,
    [property: Id(5)] string? Note = null);

/// <summary>
/// Which instance of a local time that happens twice (the clocks go back) an occurrence is. Cronos, like Vixie
/// cron, runs a fixed time in the first instance only and an interval (<c>*</c>, <c>-</c>, <c>/</c> in the
/// second, minute or hour field) in both.
/// </summary>
public static class DstOverlaps
{
    /// <summary>The earlier instance, still on summer time (the larger offset).</summary>
    public const string First = "first";

    /// <summary>The later instance, after the clocks went back (the smaller offset).</summary>
    public const string Second = "second";
}
