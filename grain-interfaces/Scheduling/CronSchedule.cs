using System.Globalization;
using Cronos;

namespace Tributary.Scheduling;

/// <summary>
/// A validated schedule: a Cronos cron expression read in a time zone, with its misfire policy and bound.
/// Pure (no Orleans, no clock), so the rules are tested with exact instants. The one cron reader: the schedule grains
/// decide runs with it, and the gateway projects sessions with it (<see cref="Read"/>), so both read a cron alike.
/// </summary>
/// <remarks>
/// <para>Five fields are minute hour day-of-month month day-of-week; six put seconds first. The number of
/// fields decides the format, so both work without a flag. Macros such as <c>@daily</c> are accepted.</para>
/// <para>Daylight saving time is Cronos' (as Vixie cron): an occurrence whose local time does not exist on
/// the spring-forward night runs at the first instant after the gap (Europe/Zurich: <c>30 2 * * *</c> runs
/// at 03:00 CEST). On the fall-back night a fixed time in the repeated hour runs once, in its first (summer
/// time) instance, while interval fields (<c>*</c>, <c>-</c>, <c>/</c> in second, minute or hour) run in
/// both instances.</para>
/// </remarks>
public sealed class CronSchedule
{
    private const string CronosPrefix = "The given cron expression has an invalid format. ";

    /// <summary>A reference instant for "does this cron ever occur": the expression has no year field, so an
    /// expression that occurs once after any instant occurs after every instant.</summary>
    private static readonly DateTimeOffset Reference = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CronExpression _expression;

    private CronSchedule(string cron, CronExpression expression, TimeZoneInfo zone, MisfirePolicy misfire, int maxCatchUp)
    {
        Cron = cron;
        _expression = expression;
        Zone = zone;
        Misfire = misfire;
        MaxCatchUp = maxCatchUp;
    }

    /// <summary>The expression as given, trimmed.</summary>
    public string Cron { get; }

    public TimeZoneInfo Zone { get; }

    public MisfirePolicy Misfire { get; }

    /// <summary>With <see cref="MisfirePolicy.All"/>: how many missed occurrences (the newest) are kept to run.</summary>
    public int MaxCatchUp { get; }

    /// <summary>Parses and validates; throws with every problem at once.</summary>
    /// <exception cref="InvalidScheduleException">Errors keyed <c>cron</c>, <c>timeZone</c>, <c>maxCatchUp</c>.</exception>
    public static CronSchedule Create(string? cron, string? timeZone, MisfirePolicy misfire, int maxCatchUp) =>
        TryCreate(cron, timeZone, misfire, maxCatchUp, out var schedule, out var errors)
            ? schedule
            : throw new InvalidScheduleException(errors);

    /// <summary>Parses and validates a schedule given as text (configuration, stored state); throws with every problem at once.</summary>
    /// <exception cref="InvalidScheduleException">Errors keyed <c>cron</c>, <c>timeZone</c>, <c>misfire</c>, <c>maxCatchUp</c>.</exception>
    public static CronSchedule Create(string? cron, string? timeZone, string? misfire, int maxCatchUp) =>
        TryCreate(cron, timeZone, misfire, maxCatchUp, out var schedule, out var errors)
            ? schedule
            : throw new InvalidScheduleException(errors);

    /// <summary>Calendars already read, by cron and zone: the gateway reads the same one on every status poll.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Cron, string Zone), CronSchedule> Calendars = new();

    /// <summary>Bounds <see cref="Calendars"/>: crons come from configuration and schedule changes, so a few are kept.</summary>
    private const int MaxCalendarsKept = 256;

    /// <summary>
    /// When a valid cron occurs in a zone (misfire policy and catch-up do not change that), read once per pair: a
    /// schedule is immutable.
    /// </summary>
    /// <exception cref="InvalidScheduleException">The cron or the zone is not valid (the silo validates both before they are stored or configured).</exception>
    public static CronSchedule Read(string cron, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (Calendars.TryGetValue((cron, timeZone), out var known))
        {
            return known;
        }

        var schedule = Create(cron, timeZone, MisfirePolicy.Skip, ScheduleLimits.DefaultMaxCatchUp);
        if (Calendars.Count < MaxCalendarsKept)
        {
            Calendars.TryAdd((cron, timeZone), schedule);
        }

        return schedule;
    }

    /// <summary>Every problem with these values (empty when valid), keyed by the API's field names.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(string? cron, string? timeZone, MisfirePolicy misfire, int maxCatchUp)
    {
        TryCreate(cron, timeZone, misfire, maxCatchUp, out _, out var errors);
        return errors;
    }

    /// <summary>Every problem with these values given as text (empty when valid), keyed by the API's field names.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(string? cron, string? timeZone, string? misfire, int maxCatchUp)
    {
        TryCreate(cron, timeZone, misfire, maxCatchUp, out _, out var errors);
        return errors;
    }

    /// <summary>Parses and validates a schedule given as text (configuration, stored state).</summary>
    /// <param name="misfire">The policy's text (<see cref="MisfirePolicyExtensions.ToText"/>), in any case.</param>
    public static bool TryCreate(
        string? cron,
        string? timeZone,
        string? misfire,
        int maxCatchUp,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule,
        out IReadOnlyDictionary<string, string[]> errors)
    {
        MisfirePolicy.TryFromText(misfire, out var policy, out var misfireProblem);
        return TryBuild(cron, timeZone, policy, misfireProblem, maxCatchUp, out schedule, out errors);
    }

    /// <summary>Parses and validates.</summary>
    public static bool TryCreate(
        string? cron,
        string? timeZone,
        MisfirePolicy misfire,
        int maxCatchUp,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule,
        out IReadOnlyDictionary<string, string[]> errors) =>
        TryBuild(cron, timeZone, misfire, null, maxCatchUp, out schedule, out errors);

    /// <param name="misfireProblem">Why the policy's text could not be read, when it was given as text.</param>
    private static bool TryBuild(
        string? cron,
        string? timeZone,
        MisfirePolicy policy,
        string? misfireProblem,
        int maxCatchUp,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule,
        out IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var expression = ParseCron(cron, out var cronProblem);
        if (cronProblem is not null)
        {
            problems["cron"] = [cronProblem];
        }

        var zone = FindZone(timeZone, out var zoneProblem);
        if (zoneProblem is not null)
        {
            problems["timeZone"] = [zoneProblem];
        }

        if (misfireProblem is not null)
        {
            problems["misfire"] = [misfireProblem];
        }

        if (maxCatchUp is < 1 or > ScheduleLimits.MaxCatchUpLimit)
        {
            problems["maxCatchUp"] = [$"Must be 1..{ScheduleLimits.MaxCatchUpLimit}, was {maxCatchUp}."];
        }

        errors = problems;
        schedule = problems.Count == 0 ? new CronSchedule(cron!.Trim(), expression!, zone!, policy, maxCatchUp) : null;
        return schedule is not null;
    }

    /// <summary>The first occurrence strictly after <paramref name="instant"/>, or null if none follows.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant) => _expression.GetNextOccurrence(instant, Zone, inclusive: false);

    /// <summary><paramref name="instant"/> on the zone's clock, with the zone's offset at that instant.</summary>
    public DateTimeOffset InZone(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="upTo"/>], oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset upTo) =>
        upTo <= after ? [] : _expression.GetOccurrences(after, upTo, Zone, fromInclusive: false, toInclusive: true);

    /// <summary>
    /// The first <paramref name="count"/> occurrences strictly after <paramref name="after"/>, oldest first, each
    /// in UTC and on the zone's clock, marked when a DST gap moved it or a DST overlap chose one instance of it.
    /// </summary>
    /// <remarks>
    /// Cronos only returns instants; what happened is read back from the zone. A run moved by a gap sits exactly
    /// on a forward transition, and a local time in the skipped interval matches the cron (the cron is matched
    /// against wall-clock times by evaluating it in UTC, which has no DST). A run in an overlap has a local time
    /// the zone calls ambiguous; the larger offset is the first instance.
    /// </remarks>
    public IReadOnlyList<ScheduleOccurrence> Upcoming(DateTimeOffset after, int count)
    {
        var occurrences = new List<ScheduleOccurrence>(count);
        var from = after;
        while (occurrences.Count < count && NextAfter(from) is { } next)
        {
            occurrences.Add(Describe(next));
            from = next;
        }

        return occurrences;
    }

    private ScheduleOccurrence Describe(DateTimeOffset occurrence)
    {
        var local = TimeZoneInfo.ConvertTime(occurrence, Zone);
        var utc = occurrence.UtcDateTime;
        var offsetBefore = Zone.GetUtcOffset(utc.AddTicks(-1));
        if (local.Offset > offsetBefore)
        {
            // On a forward transition: the wall clock skipped [utc + offsetBefore, utc + offset).
            var gapStart = DateTime.SpecifyKind(utc + offsetBefore, DateTimeKind.Utc);
            var gapEnd = DateTime.SpecifyKind(utc + local.Offset, DateTimeKind.Utc);
            if (_expression.GetNextOccurrence(gapStart, inclusive: true) is { } named && named < gapEnd)
            {
                var skipped = DateTime.SpecifyKind(named, DateTimeKind.Unspecified);
                var note = $"{Clock(skipped)} does not exist in {Zone.Id} on {Day(skipped)} (the clocks jump from {Clock(gapStart)} to "
                    + $"{Clock(gapEnd)}), so this run moves to {Clock(local.DateTime)}, the first instant after the gap.";
                return new ScheduleOccurrence(utc, local, MovedByDstGap: true, MovedFrom: skipped, Note: note);
            }
        }

        if (Zone.IsAmbiguousTime(occurrence))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(occurrence);
            var first = local.Offset == offsets.Max();
            var otherOffset = first ? offsets.Min() : offsets.Max();
            var other = new DateTimeOffset(local.DateTime, otherOffset);
            var otherRuns = _expression.GetNextOccurrence(other, Zone, inclusive: true) == other;
            var which = first ? DstOverlaps.First : DstOverlaps.Second;
            var otherName = first ? DstOverlaps.Second : DstOverlaps.First;
            var note = $"{Clock(local.DateTime)} happens twice in {Zone.Id} on {Day(local.DateTime)} (the clocks go back "
                + $"{Duration(offsets.Max() - offsets.Min())}): this run is the {which}, at {Offset(local.Offset)}; the {otherName}, "
                + $"at {Offset(otherOffset)}, {(otherRuns ? "runs too" : "does not run")}.";
            return new ScheduleOccurrence(utc, local, DstOverlap: which, Note: note);
        }

        return new ScheduleOccurrence(utc, local);
    }

    private static string Clock(DateTime wallClock) =>
        wallClock.ToString(wallClock.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Day(DateTime wallClock) => wallClock.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => (span.Hours, span.Minutes) switch
    {
        (0, var m) => $"{m} minute{(m == 1 ? string.Empty : "s")}",
        (var h, 0) => $"{h} hour{(h == 1 ? string.Empty : "s")}",
        (var h, var m) => $"{h} hour{(h == 1 ? string.Empty : "s")} {m} minute{(m == 1 ? string.Empty : "s")}",
    };


    private static CronExpression? ParseCron(string? cron, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            problem = "Required: a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first).";
            return null;
        }

        var text = cron.Trim();
        var fields = text.Split(' ', '\t').Count(f => f.Length > 0);
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            problem = $"Cron '{cron}' is not valid: it has {fields} field{(fields == 1 ? string.Empty : "s")}; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first).";
            return null;
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException exception)
        {
            var reason = exception.Message.StartsWith(CronosPrefix, StringComparison.Ordinal) ? exception.Message[CronosPrefix.Length..] : exception.Message;
            problem = $"Cron '{cron}' is not valid: {reason}";
            return null;
        }
        catch (MissingSeedException)
        {
            problem = $"Cron '{cron}' is not valid: 'H' (jitter) is not supported here; write the value itself.";
            return null;
        }

        if (expression.GetNextOccurrence(Reference, TimeZoneInfo.Utc) is null)
        {
            problem = $"Cron '{cron}' is not valid: it never occurs.";
            return null;
        }

        return expression;
    }

    private static TimeZoneInfo? FindZone(string? timeZone, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            problem = "Required: an IANA time zone such as 'Europe/Zurich' or 'UTC'.";
            return null;
        }

        var id = timeZone.Trim();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            // Zone files are found by exact name, and only zones already loaded match case-insensitively:
            // look the spelling up in the full list so 'europe/zurich' works whatever was loaded before.
            var match = TimeZoneInfo.GetSystemTimeZones().FirstOrDefault(z => string.Equals(z.Id, id, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }

            problem = $"Time zone '{timeZone}' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'.";
        }
        catch (InvalidTimeZoneException exception)
        {
            problem = $"Time zone '{timeZone}' could not be read: {exception.Message}";
        }

        return null;
    }
}
