using static Tributary.Scheduling.Tests.Instants;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// What one heartbeat decides, with exact instants. The outage cases use a daily 06:00 Europe/Zurich cron
/// (04:00Z in May, summer time) whose last handled occurrence was 1 May, and a silo that comes back on 4 May.
/// </summary>
public sealed class ScheduleCalculatorTests
{
    private const string Zurich = "Europe/Zurich";
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset LastHandled = Utc("2026-05-01T04:00:00Z");

    [Fact]
    public void An_on_time_tick_runs_the_occurrence_and_moves_the_cursor_to_it()
    {
        var schedule = Daily(MisfirePolicy.Skip);

        var decision = ScheduleCalculator.Reconcile(schedule, Utc("2026-05-01T03:00:00Z"), [], Utc("2026-05-01T04:00:40Z"), Grace);

        Assert.Equal(Many("2026-05-01T04:00:00Z"), decision.Run);
        Assert.Equal(0, decision.Dropped);
        Assert.Equal(Utc("2026-05-01T04:00:00Z"), decision.HandledThrough);
        Assert.Equal(Utc("2026-05-02T04:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void A_duplicate_tick_finds_nothing_new()
    {
        var schedule = Daily(MisfirePolicy.All);
        var now = Utc("2026-05-01T04:00:40Z");
        var first = ScheduleCalculator.Reconcile(schedule, Utc("2026-05-01T03:00:00Z"), [], now, Grace);

        var again = ScheduleCalculator.Reconcile(schedule, first.HandledThrough, [], now, Grace);
        var later = ScheduleCalculator.Reconcile(schedule, first.HandledThrough, [], now.AddMinutes(5), Grace);

        Assert.Empty(again.Run);
        Assert.Empty(later.Run);
        Assert.Equal(0, again.Dropped + later.Dropped);
        Assert.Equal(first.HandledThrough, later.HandledThrough);
    }

    [Fact]
    public void Skip_after_a_three_day_outage_runs_nothing_when_the_silo_returns_between_occurrences()
    {
        var decision = ScheduleCalculator.Reconcile(Daily(MisfirePolicy.Skip), LastHandled, [], Utc("2026-05-04T10:00:00Z"), Grace);

        Assert.Empty(decision.Run);
        Assert.Equal(3, decision.Dropped);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), decision.HandledThrough);
        Assert.Equal(Utc("2026-05-05T04:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void Skip_after_a_three_day_outage_runs_only_the_occurrence_that_is_due_within_the_grace()
    {
        var decision = ScheduleCalculator.Reconcile(Daily(MisfirePolicy.Skip), LastHandled, [], Utc("2026-05-04T04:01:30Z"), Grace);

        Assert.Equal(Many("2026-05-04T04:00:00Z"), decision.Run);
        Assert.Equal(2, decision.Dropped);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), decision.HandledThrough);
    }

    [Fact]
    public void Once_after_a_three_day_outage_runs_the_latest_missed_occurrence_once()
    {
        var decision = ScheduleCalculator.Reconcile(Daily(MisfirePolicy.Once), LastHandled, [], Utc("2026-05-04T10:00:00Z"), Grace);

        Assert.Equal(Many("2026-05-04T04:00:00Z"), decision.Run);
        Assert.Equal(2, decision.Dropped);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), decision.HandledThrough);
        Assert.Equal(Utc("2026-05-05T04:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void All_after_a_three_day_outage_runs_every_missed_occurrence_oldest_first()
    {
        var decision = ScheduleCalculator.Reconcile(Daily(MisfirePolicy.All), LastHandled, [], Utc("2026-05-04T10:00:00Z"), Grace);

        Assert.Equal(Many("2026-05-02T04:00:00Z", "2026-05-03T04:00:00Z", "2026-05-04T04:00:00Z"), decision.Run);
        Assert.Equal(0, decision.Dropped);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), decision.HandledThrough);
        Assert.Equal(Utc("2026-05-05T04:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void All_keeps_the_newest_occurrences_up_to_the_bound_and_counts_the_dropped_ones()
    {
        // Hourly for three days: 72 occurrences from 1 May 05:00Z to 4 May 04:00Z, at most 10 kept.
        var hourly = CronSchedule.Create("0 * * * *", Zurich, MisfirePolicy.All, 10);

        var decision = ScheduleCalculator.Reconcile(hourly, LastHandled, [], Utc("2026-05-04T04:00:30Z"), Grace);

        Assert.Equal(Enumerable.Range(0, 10).Select(h => Utc("2026-05-03T19:00:00Z").AddHours(h)), decision.Run);
        Assert.Equal(62, decision.Dropped);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), decision.HandledThrough);
        Assert.Equal(Utc("2026-05-04T05:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void All_applies_the_bound_to_the_backlog_and_the_new_occurrences_together()
    {
        var schedule = CronSchedule.Create("0 6 * * *", Zurich, MisfirePolicy.All, 3);
        IReadOnlyList<DateTimeOffset> backlog = Many("2026-04-29T04:00:00Z", "2026-04-30T04:00:00Z", "2026-05-01T04:00:00Z");

        var decision = ScheduleCalculator.Reconcile(schedule, LastHandled, backlog, Utc("2026-05-03T04:00:10Z"), Grace);

        Assert.Equal(Many("2026-05-01T04:00:00Z", "2026-05-02T04:00:00Z", "2026-05-03T04:00:00Z"), decision.Run);
        Assert.Equal(Many("2026-05-02T04:00:00Z", "2026-05-03T04:00:00Z"), decision.Due);
        Assert.Equal(2, decision.Dropped);
    }

    [Fact]
    public void Once_replaces_a_waiting_occurrence_with_a_newer_one()
    {
        var decision = ScheduleCalculator.Reconcile(
            Daily(MisfirePolicy.Once), LastHandled, Many("2026-05-01T04:00:00Z"), Utc("2026-05-02T04:00:05Z"), Grace);

        Assert.Equal(Many("2026-05-02T04:00:00Z"), decision.Run);
        Assert.Equal(1, decision.Dropped);
    }

    [Fact]
    public void Skip_drops_a_waiting_occurrence_once_it_is_older_than_the_grace()
    {
        var schedule = Daily(MisfirePolicy.Skip);
        IReadOnlyList<DateTimeOffset> waiting = Many("2026-05-01T04:00:00Z");

        var withinGrace = ScheduleCalculator.Reconcile(schedule, LastHandled, waiting, Utc("2026-05-01T04:02:00Z"), Grace);
        var pastGrace = ScheduleCalculator.Reconcile(schedule, LastHandled, waiting, Utc("2026-05-01T04:02:01Z"), Grace);

        Assert.Equal(waiting, withinGrace.Run);
        Assert.Equal(0, withinGrace.Dropped);
        Assert.Empty(pastGrace.Run);
        Assert.Equal(1, pastGrace.Dropped);
    }

    [Fact]
    public void Skip_runs_only_the_newest_of_several_occurrences_within_the_grace()
    {
        var everyTwentySeconds = CronSchedule.Create("*/20 * * * * *", "UTC", MisfirePolicy.Skip, 10);

        var decision = ScheduleCalculator.Reconcile(everyTwentySeconds, Utc("2026-05-01T04:00:00Z"), [], Utc("2026-05-01T04:01:10Z"), Grace);

        // 04:00:20, 04:00:40 and 04:01:00 fell due; only the newest runs.
        Assert.Equal(Many("2026-05-01T04:01:00Z"), decision.Run);
        Assert.Equal(2, decision.Dropped);
    }

    [Fact]
    public void The_spring_forward_occurrence_is_found_at_its_shifted_instant()
    {
        var schedule = CronSchedule.Create("30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        var early = ScheduleCalculator.Reconcile(schedule, Utc("2026-03-28T01:30:00Z"), [], Utc("2026-03-29T00:59:59Z"), Grace);
        var due = ScheduleCalculator.Reconcile(schedule, Utc("2026-03-28T01:30:00Z"), [], Utc("2026-03-29T01:00:30Z"), Grace);

        Assert.Empty(early.Run);
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), early.NextDue);
        Assert.Equal(Many("2026-03-29T01:00:00Z"), due.Run);
        Assert.Equal(Utc("2026-03-30T00:30:00Z"), due.NextDue);
    }

    [Fact]
    public void The_fall_back_night_runs_a_fixed_time_once_even_with_policy_all()
    {
        var schedule = CronSchedule.Create("0 2 * * *", Zurich, MisfirePolicy.All, 10);

        var decision = ScheduleCalculator.Reconcile(schedule, Utc("2026-10-24T00:00:00Z"), [], Utc("2026-10-25T03:00:00Z"), Grace);

        Assert.Equal(Many("2026-10-25T00:00:00Z"), decision.Run);
        Assert.Equal(0, decision.Dropped);
        Assert.Equal(Utc("2026-10-26T01:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void A_clock_behind_the_cursor_runs_nothing()
    {
        var decision = ScheduleCalculator.Reconcile(Daily(MisfirePolicy.All), LastHandled, [], LastHandled.AddHours(-1), Grace);

        Assert.Empty(decision.Run);
        Assert.Equal(LastHandled, decision.HandledThrough);
        Assert.Equal(Utc("2026-05-02T04:00:00Z"), decision.NextDue);
    }

    [Fact]
    public void A_dense_cron_after_a_long_outage_keeps_the_newest_and_stops_counting_at_the_limit()
    {
        var everySecond = CronSchedule.Create("* * * * * *", "UTC", MisfirePolicy.All, 10);
        var now = Utc("2026-05-31T04:00:00Z");

        var decision = ScheduleCalculator.Reconcile(everySecond, LastHandled, [], now, Grace);

        Assert.Equal(Enumerable.Range(0, 10).Select(s => now.AddSeconds(s - 9)), decision.Run);
        // The newest hour is enumerated (3,590 beyond the 10 kept); the 29 days before it are counted up to the limit.
        Assert.Equal(3_590 + ScheduleCalculator.CountLimit, decision.Dropped);
        Assert.Equal(now, decision.HandledThrough);
    }

    private static CronSchedule Daily(MisfirePolicy misfire) => CronSchedule.Create("0 6 * * *", Zurich, misfire, 10);
}
