namespace Tributary.Scheduling;

/// <summary>
/// Decides, at one heartbeat, which cron occurrences a schedule runs: the occurrences due since the last
/// handled one, merged with the backlog still waiting for the job, filtered by the misfire policy.
/// Pure: the grain passes the clock's "now", so tests drive it with exact instants.
/// </summary>
/// <remarks>
/// <para>An occurrence is <em>on time</em> when <c>now - occurrence &lt;= grace</c> (a heartbeat lands up to
/// one period after the occurrence, so the grace must be at least the heartbeat period); otherwise it is
/// <em>missed</em> (silo down, ticks late, job busy for longer than the grace).</para>
/// <list type="bullet">
/// <item><c>skip</c>: runs only the newest occurrence that is on time; every other one is dropped, so after
/// an outage nothing runs until the next occurrence.</item>
/// <item><c>once</c>: runs the newest due occurrence (on time or missed) once; older ones are dropped.</item>
/// <item><c>all</c>: runs every due occurrence, oldest first, keeping at most <c>MaxCatchUp</c>: the newest
/// ones, because after a long outage the latest data is what is still wanted; the older ones are dropped.</item>
/// </list>
/// <para>The cursor (<see cref="ScheduleDecision.HandledThrough"/>) moves to the newest due occurrence whether
/// it runs or not, so a duplicate or late tick never finds the same occurrence twice.</para>
/// </remarks>
public static class ScheduleCalculator
{
    /// <summary>
    /// Dropped occurrences older than the look-back window counted per tick at most. A per-second cron after
    /// an 11-day outage reaches it; the rest are not counted (they are still skipped: the cursor moves past them).
    /// </summary>
    public const int CountLimit = 1_000_000;

    /// <summary>The first look-back window when searching for the newest due occurrences; it grows fourfold.</summary>
    private static readonly TimeSpan FirstWindow = TimeSpan.FromHours(1);

    /// <summary>Reconciles one heartbeat.</summary>
    /// <param name="schedule">The validated schedule.</param>
    /// <param name="handledThrough">Occurrences at or before this instant were handled already.</param>
    /// <param name="pending">Occurrences due earlier that still wait for the job, oldest first.</param>
    /// <param name="now">The heartbeat's time.</param>
    /// <param name="grace">How late an occurrence may be and still count as on time.</param>
    public static ScheduleDecision Reconcile(
        CronSchedule schedule,
        DateTimeOffset handledThrough,
        IReadOnlyList<DateTimeOffset> pending,
        DateTimeOffset now,
        TimeSpan grace)
    {
        var keep = schedule.Misfire == MisfirePolicy.All ? schedule.MaxCatchUp : 1;
        var (due, beyondKeep) = NewestDue(schedule, handledThrough, now, keep);
        var candidates = pending.Concat(due).Distinct().Order().ToList();
        var run = schedule.Misfire switch
        {
            MisfirePolicy.All => candidates.Skip(Math.Max(0, candidates.Count - schedule.MaxCatchUp)).ToList(),
            MisfirePolicy.Once => candidates.TakeLast(1).ToList(),
            _ => candidates.TakeLast(1).Where(o => now - o <= grace).ToList(),
        };

        var cursor = due.Count > 0 ? due[^1] : handledThrough;
        var nextDue = schedule.NextAfter(cursor > now ? cursor : now);
        return new ScheduleDecision(run, due, beyondKeep + candidates.Count - run.Count, cursor, nextDue);
    }

    /// <summary>
    /// The newest <paramref name="keep"/> occurrences in (<paramref name="after"/>, <paramref name="upTo"/>],
    /// oldest first, and how many older ones that interval holds.
    /// </summary>
    /// <remarks>
    /// Occurrences are always enumerated forwards: Cronos' backward search does not mirror its forward one
    /// across a DST gap (it lands on the last second before the gap). A window ending at <paramref name="upTo"/>
    /// grows until it holds enough occurrences, so a long outage costs little; the rest is only counted.
    /// </remarks>
    private static (List<DateTimeOffset> Due, long Older) NewestDue(CronSchedule schedule, DateTimeOffset after, DateTimeOffset upTo, int keep)
    {
        if (upTo <= after)
        {
            return ([], 0);
        }

        var window = FirstWindow;
        while (true)
        {
            var start = upTo - after <= window ? after : upTo - window;
            var inWindow = schedule.Between(start, upTo).ToList();
            if (inWindow.Count >= keep || start == after)
            {
                var due = inWindow.Skip(Math.Max(0, inWindow.Count - keep)).ToList();
                long older = inWindow.Count - due.Count;
                if (start != after)
                {
                    older += schedule.Between(after, start).Take(CountLimit).LongCount();
                }

                return (due, older);
            }

            window *= 4;
        }
    }
}

/// <summary>What one heartbeat decided.</summary>
/// <param name="Run">The occurrences to run, oldest first: the backlog to keep (the grain triggers the first).</param>
/// <param name="Due">Occurrences found due at this tick, oldest first (only those the policy could keep).</param>
/// <param name="Dropped">Occurrences (found now or waiting in the backlog) the policy decided never to run.</param>
/// <param name="HandledThrough">The new cursor: the newest occurrence handled, or the old cursor when none fell due.</param>
/// <param name="NextDue">The first occurrence after now, or null when the cron never occurs again.</param>
public sealed record ScheduleDecision(
    IReadOnlyList<DateTimeOffset> Run,
    IReadOnlyList<DateTimeOffset> Due,
    long Dropped,
    DateTimeOffset HandledThrough,
    DateTimeOffset? NextDue);
