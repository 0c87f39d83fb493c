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
    /// Occurrences counted per tick at most. A per-second cron after an 11-day outage reaches it; dropped
    /// occurrences beyond it are not counted (they are still skipped: the cursor moves past them).
    /// </summary>
    public const int CountLimit = 1_000_000;

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
        var newestFirst = new List<DateTimeOffset>(Math.Min(keep, 64));
        long beyondKeep = 0;
        foreach (var occurrence in schedule.BetweenNewestFirst(handledThrough, now))
        {
            if (newestFirst.Count < keep)
            {
                newestFirst.Add(occurrence);
            }
            else if (++beyondKeep >= CountLimit)
            {
                break;
            }
        }

        var due = Enumerable.Reverse(newestFirst).ToList();
        var candidates = pending.Concat(due).Distinct().Order().ToList();
        var run = schedule.Misfire switch
        {
            MisfirePolicy.All => candidates.Skip(Math.Max(0, candidates.Count - schedule.MaxCatchUp)).ToList(),
            MisfirePolicy.Once => candidates.TakeLast(1).ToList(),
            _ => candidates.TakeLast(1).Where(o => now - o <= grace).ToList(),
        };

        var cursor = due.Count > 0 && due[^1] > handledThrough ? due[^1] : handledThrough;
        var nextDue = schedule.NextAfter(cursor > now ? cursor : now);
        return new ScheduleDecision(run, due, beyondKeep + candidates.Count - run.Count, cursor, nextDue);
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
