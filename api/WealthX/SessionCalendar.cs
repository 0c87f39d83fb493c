using Cronos;

namespace Tributary.Api.WealthX;

/// <summary>
/// When a feed's sessions start: its cron read in its time zone. Pure, so the projections built on it are tested
/// with exact instants.
/// </summary>
/// <remarks>
/// Five fields are minute precision, six put seconds first (the rule of the schedule grain, so both read a cron
/// the same way). Daylight saving time is Cronos': a local time skipped by the spring-forward gap runs at the first
/// instant after it, and every occurrence keeps the zone's offset of its own day.
/// </remarks>
public sealed class SessionCalendar
{
    private readonly CronExpression _expression;

    private SessionCalendar(string cron, CronExpression expression, TimeZoneInfo zone)
    {
        Cron = cron;
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The expression as given, trimmed.</summary>
    public string Cron { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Calendars already read, by cron and zone: the status document reads the same one on every poll. Bounded, as crons come from configuration and schedule changes.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Cron, string Zone), SessionCalendar> Read = new();

    private const int MaxKept = 256;

    /// <summary>Reads <paramref name="cron"/> in the IANA zone <paramref name="timeZone"/> (once per pair; the calendar is immutable).</summary>
    /// <exception cref="CronFormatException">The cron is not valid (the silo validates crons before they are stored or configured).</exception>
    /// <exception cref="TimeZoneNotFoundException">The zone is not known on this machine.</exception>
    public static SessionCalendar Parse(string cron, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (Read.TryGetValue((cron, timeZone), out var known))
        {
            return known;
        }

        var calendar = ParseNew(cron, timeZone);
        if (Read.Count < MaxKept)
        {
            Read.TryAdd((cron, timeZone), calendar);
        }

        return calendar;
    }

    private static SessionCalendar ParseNew(string cron, string timeZone)
    {
        var trimmed = cron.Trim();
        var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var expression = CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return new SessionCalendar(trimmed, expression, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
    }

    /// <summary>The first start strictly after <paramref name="instant"/>, in the zone's offset; null when the cron never occurs again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant) => _expression.GetNextOccurrence(instant, Zone);

    /// <summary>The starts in (<paramref name="after"/>, <paramref name="upTo"/>], oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset upTo) =>
        _expression.GetOccurrences(after, upTo, Zone, fromInclusive: false, toInclusive: true);

    /// <summary><paramref name="instant"/> in the zone's offset at that instant.</summary>
    public DateTimeOffset InZone(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);
}
