using Tributary.Scheduling;
using Tributary.WealthX;

namespace Tributary.Api.WealthX;

/// <summary>The arithmetic of a feed's pull: calls per session, sessions per day, days to finish. Pure: the caller passes now.</summary>
public static class WealthXProjection
{
    /// <summary>The window the per-day figures and the shortest gap are taken over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>Calls of a full session: <c>ceil(SessionSize / ApiBatchSize)</c>.</summary>
    public static int CallsPerSession(WealthXPullSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (int)(((long)settings.SessionSize + settings.ApiBatchSize - 1) / settings.ApiBatchSize);
    }

    /// <summary>
    /// The projection for <paramref name="settings"/> and the cron <paramref name="schedule"/> read in
    /// <paramref name="timeZone"/>: per-day figures over the next 7 whole local days, the shortest gap over the 7 days after <paramref name="now"/>.
    /// </summary>
    /// <param name="totalDossiers">The API's last reported total; null when unknown.</param>
    /// <param name="recordsProcessed">Records the full pass has stored.</param>
    public static WealthXProjectionView Compute(
        WealthXPullSettings settings, int? totalDossiers, long recordsProcessed, string schedule, string timeZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var calendar = CronSchedule.Read(schedule, timeZone);
        var calls = CallsPerSession(settings);
        var interval = settings.MinCallInterval.TotalSeconds;
        var sessionDuration = (calls - 1) * interval;

        var starts = calendar.Between(now, now + Window).ToList();
        var sessionsPerDay = SessionsPerDay(calendar, now);
        var recordsPerDay = sessionsPerDay * settings.SessionSize;

        double? shortestGap = null;
        for (var i = 1; i < starts.Count; i++)
        {
            var gap = (starts[i] - starts[i - 1]).TotalSeconds;
            shortestGap = shortestGap is { } shortest ? Math.Min(shortest, gap) : gap;
        }

        long? remaining = totalDossiers is { } total ? Math.Max(0, total - recordsProcessed) : null;
        double? daysToFinish = remaining is { } left && recordsPerDay > 0 ? Round(left / recordsPerDay) : null;
        double? completionTimeDays = totalDossiers is { } all && recordsPerDay > 0 ? Round(all / recordsPerDay) : null;

        return new WealthXProjectionView(
            settings.ApiBatchSize,
            settings.SessionSize,
            calls,
            Round(sessionsPerDay),
            Round(recordsPerDay),
            Round(sessionsPerDay * calls),
            settings.TargetDays,
            Round(recordsPerDay * settings.TargetDays),
            completionTimeDays,
            completionTimeDays is { } days ? Round(settings.TargetDays - days) : null,
            settings.ApiBatchSize,
            calls,
            settings.SessionSize,
            interval,
            sessionDuration,
            Round(sessionsPerDay),
            Round(sessionsPerDay * calls),
            totalDossiers,
            remaining,
            daysToFinish,
            shortestGap,
            shortestGap - sessionDuration,
            calendar.Cron,
            timeZone);
    }

    /// <summary>
    /// Sessions the calendar starts per day, averaged over the 7 whole days (in the calendar's zone) from the midnight
    /// after <paramref name="now"/>: whole local days, so neither the time of day nor a DST change within the window
    /// adds or drops a start (a 3-a-day cron reads 3).
    /// </summary>
    public static double SessionsPerDay(CronSchedule calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var today = DateOnly.FromDateTime(calendar.InZone(now).DateTime);
        var from = Midnight(calendar.Zone, today.AddDays(1));
        var to = Midnight(calendar.Zone, today.AddDays(1 + (int)Window.TotalDays));
        return calendar.Between(from.AddTicks(-1), to.AddTicks(-1)).Count() / Window.TotalDays;
    }

    /// <summary>The start of <paramref name="day"/> in <paramref name="zone"/>.</summary>
    private static DateTimeOffset Midnight(TimeZoneInfo zone, DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Two decimals, halves away from zero.</summary>
    internal static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
