using System.Globalization;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;
using Tributary.WealthX;

namespace Tributary.Api.WealthX;

/// <summary>
/// Builds a feed's status document (<see cref="WealthXStatusView"/>) from what the grains and the stores report.
/// Pure: the caller gathers the inputs and passes now.
/// </summary>
public static class WealthXProgressView
{
    /// <summary>Past this many sessions an estimate is not worth the enumeration (and no longer means much).</summary>
    public const int MaxEstimatedSessions = 1_000_000;

    /// <summary>The status document.</summary>
    /// <param name="recordsInStore">Distinct IDs in the dossier store.</param>
    /// <param name="schedule">The feed job's schedule; null when it has none.</param>
    /// <param name="currentRun">The run of <see cref="WealthXPullProgress.CurrentSession"/>, when stored.</param>
    /// <param name="lastRun">The run of <see cref="WealthXPullProgress.LastSession"/>, when stored.</param>
    /// <param name="store"><c>postgresql</c> or <c>mongodb</c>.</param>
    /// <param name="recordsInStoreCountedAt">When <paramref name="recordsInStore"/> was counted; <paramref name="now"/> when not given.</param>
    public static WealthXStatusView Build(
        WealthXPullProgress progress, long recordsInStore, ScheduleSnapshot? schedule, SessionRun? currentRun, SessionRun? lastRun, string store, DateTimeOffset now,
        DateTimeOffset? recordsInStoreCountedAt = null)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var sessionsRemaining = SessionsRemaining(progress);
        var enabled = schedule is { Configured: true, Enabled: true, Cron: not null } ? schedule : null;
        var estimate = progress.Complete || sessionsRemaining is null || enabled is null
            ? null
            : EstimatedCompletion(
                sessionsRemaining.Value,
                progress.CurrentSession?.StartedAt,
                CronSchedule.Read(enabled.Cron!, enabled.TimeZone ?? ScheduleLimits.DefaultTimeZone),
                EstimatedSessionDuration(progress.Settings),
                now);

        var session = progress.CurrentSession ?? progress.LastSession;
        var sessionStart = session is null ? (DateTime?)null : SeedLocalTime(session.StartedAt, progress.Settings.TimeZone);
        return new WealthXStatusView(
            progress.Feed,
            progress.NextIndex - 1,
            progress.TotalDossiers,
            progress.RecordsProcessed,
            sessionStart?.ToString(SessionIdFormat, CultureInfo.InvariantCulture),
            sessionStart?.ToString(SessionStartFormat, CultureInfo.InvariantCulture),
            CompletionPercentage(progress.RecordsProcessed, progress.TotalDossiers),
            EstimatedRemainingDays(progress, enabled, now),
            progress.NextIndex,
            progress.TotalDossiers,
            recordsInStore,
            recordsInStoreCountedAt ?? now,
            progress.Complete,
            progress.CompletedAt,
            progress.Complete ? WealthXPassMode.Incremental : WealthXPassMode.Full,
            progress.IncrementalSince,
            progress.IncrementalNextIndex,
            progress.SessionsDone,
            sessionsRemaining,
            estimate,
            progress.CurrentSession is { } current ? CurrentSession(current, currentRun, progress) : null,
            progress.LastSession is { } last ? LastSession(last, lastRun) : null,
            progress.LastError,
            progress.LastErrorAt,
            now,
            schedule is { Configured: true } ? new WealthXScheduleSummary(schedule.Cron, schedule.TimeZone, schedule.Enabled, schedule.NextDue) : null,
            new WealthXSettingsView(progress.Settings.ApiBatchSize, progress.Settings.SessionSize, progress.Settings.MinCallInterval.TotalSeconds),
            store);
    }

    /// <summary>The seed's <c>session_id</c>: the session's start, local time.</summary>
    public const string SessionIdFormat = "yyyyMMdd_HHmmss";

    /// <summary>The seed's <c>session_start</c>: Python's <c>datetime.isoformat()</c> of a local time (no offset).</summary>
    public const string SessionStartFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff";

    /// <summary>
    /// The seed's <c>estimated_remaining_days</c>: records left over the schedule's records per day (sessions a day
    /// over the next 7 whole days in its zone × <c>SessionSize</c>), 2 decimals; 0 when complete; null while the total is unknown or
    /// without an enabled schedule (or one that starts no session in 7 days).
    /// </summary>
    public static double? EstimatedRemainingDays(WealthXPullProgress progress, ScheduleSnapshot? enabledSchedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Complete)
        {
            return 0;
        }

        if (progress.TotalDossiers is not { } total || enabledSchedule is not { Cron: { } cron })
        {
            return null;
        }

        var perDay = WealthXProjection.SessionsPerDay(CronSchedule.Read(cron, enabledSchedule.TimeZone ?? ScheduleLimits.DefaultTimeZone), now)
            * progress.Settings.SessionSize;
        return perDay > 0 ? WealthXProjection.Round(Math.Max(0, total - progress.RecordsProcessed) / perDay) : null;
    }

    /// <summary><paramref name="instant"/> as a wall-clock time in the IANA zone <paramref name="timeZone"/> (UTC when the zone is unknown here).</summary>
    private static DateTime SeedLocalTime(DateTimeOffset instant, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(instant, zone).DateTime
            : instant.UtcDateTime;

    /// <summary><c>processed / total × 100</c>, 2 decimals, at most 100; null while the total is unknown, 100 when the API reported none.</summary>
    public static double? CompletionPercentage(long recordsProcessed, int? totalDossiers) => totalDossiers switch
    {
        null => null,
        <= 0 => 100,
        { } total => WealthXProjection.Round(Math.Min(100, recordsProcessed * 100.0 / total)),
    };

    /// <summary><c>ceil((total − processed) / session_size)</c>; 0 when complete; null while the total is unknown.</summary>
    public static long? SessionsRemaining(WealthXPullProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Complete)
        {
            return 0;
        }

        if (progress.TotalDossiers is not { } total)
        {
            return null;
        }

        var left = Math.Max(0, total - progress.RecordsProcessed);
        return (left + progress.Settings.SessionSize - 1) / progress.Settings.SessionSize;
    }

    /// <summary>
    /// The time a full session is allowed in the estimate: <c>calls_per_session × min_call_interval</c>, one interval
    /// more than the projection's least duration, for the last call's own time.
    /// </summary>
    public static TimeSpan EstimatedSessionDuration(WealthXPullSettings settings) =>
        settings.MinCallInterval * WealthXProjection.CallsPerSession(settings);

    /// <summary>
    /// When the full pass should end: the start of the <paramref name="sessionsRemaining"/>-th session from
    /// <paramref name="now"/>, plus <paramref name="sessionDuration"/>, in the calendar's zone. A session running now
    /// (<paramref name="currentSessionStartedAt"/>) is the first of them; the others start at the cron's next occurrences.
    /// </summary>
    /// <remarks>
    /// A pass not yet complete needs at least one more session even when the counters say none is left (the session
    /// that reads the end of the data marks it complete), so 0 counts as 1. Null when the cron never occurs often
    /// enough, or when more than <see cref="MaxEstimatedSessions"/> sessions are left.
    /// </remarks>
    public static DateTimeOffset? EstimatedCompletion(
        long sessionsRemaining, DateTimeOffset? currentSessionStartedAt, CronSchedule calendar, TimeSpan sessionDuration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var sessions = Math.Max(1, sessionsRemaining);
        if (sessions > MaxEstimatedSessions)
        {
            return null;
        }

        if (currentSessionStartedAt is { } started)
        {
            if (sessions == 1)
            {
                return calendar.InZone(started + sessionDuration);
            }

            sessions--;
        }

        var start = now;
        for (var i = 0; i < sessions; i++)
        {
            if (calendar.NextAfter(start) is not { } next)
            {
                return null;
            }

            start = next;
        }

        return calendar.InZone(start + sessionDuration);
    }

    private static WealthXCurrentSessionView CurrentSession(WealthXSessionInfo session, SessionRun? run, WealthXPullProgress progress)
    {
        var (done, failed) = Counts(session, run);
        var batches = run is null
            ? []
            : run.Batches.Select(b => Batch(b, run.Run)).ToList();
        return new WealthXCurrentSessionView(
            session.RunId, session.Mode, session.Since, session.StartedAt, session.StartIndex, session.PagesPlanned, done, failed,
            session.Records, session.Inserted, session.Updated, session.Unchanged, batches);
    }

    private static WealthXLastSessionView LastSession(WealthXSessionInfo session, SessionRun? run)
    {
        var (done, failed) = Counts(session, run);
        return new WealthXLastSessionView(
            session.RunId, session.Mode, session.Since, session.StartedAt, session.StartIndex, session.PagesPlanned, done, failed,
            session.Records, session.Inserted, session.Updated, session.Unchanged, session.Status, session.FinishedAt, session.Error);
    }

    /// <summary>Succeeded and dead-lettered batches of the run; without a stored run, the grain's stored pages and no failures.</summary>
    private static (int Done, int Failed) Counts(WealthXSessionInfo session, SessionRun? run) =>
        run is null
            ? (session.PagesStored, 0)
            : (run.Batches.Count(b => b.Status == JobBatchRecord.Succeeded), run.Batches.Count(b => b.Status == JobBatchRecord.DeadLettered));

    private static WealthXBatchView Batch(JobBatchRecord batch, JobRunRecord run)
    {
        int? from = null;
        int? to = null;
        if (batch.ItemOffset >= 0 && batch.ItemOffset < run.Items.Count && TryParseRange(run.Items[batch.ItemOffset], out var first, out var last))
        {
            from = first;
            to = last;
        }

        // A WealthX batch's itemsProcessed is the dossiers its page stored (0 for a page it had no need to ask for).
        int? records = batch.Status == JobBatchRecord.Succeeded ? batch.ItemsProcessed : null;

        return new WealthXBatchView(batch.BatchIndex, batch.Status, from, to, records, batch.Attempts, batch.DurationMs, batch.Error);
    }

    /// <summary>Reads a page item <c>from-to</c> (1-based, inclusive).</summary>
    internal static bool TryParseRange(string item, out int from, out int to)
    {
        from = 0;
        to = 0;
        var dash = item.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(item.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out from)
            && int.TryParse(item.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out to);
    }
}
