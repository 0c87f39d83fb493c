using System.Globalization;
using static Tributary.Scheduling.Tests.Instants;

namespace Tributary.Scheduling.Tests;

/// <summary>Cron occurrences in a time zone across both DST changes of 2026, and validation messages.</summary>
/// <remarks>Europe/Zurich 2026: clocks go 02:00 CET -> 03:00 CEST on 29 March (01:00Z) and 03:00 CEST -> 02:00 CET on 25 October (01:00Z).</remarks>
public sealed class CronScheduleTests
{
    private const string Zurich = "Europe/Zurich";

    [Fact]
    public void On_the_spring_forward_night_a_time_in_the_skipped_hour_runs_at_the_first_instant_after_the_gap()
    {
        var schedule = CronSchedule.Create("30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        var occurrences = schedule.Between(Utc("2026-03-27T00:00:00Z"), Utc("2026-03-31T00:00:00Z")).ToArray();

        // 02:30 CET, 02:30 CET, then 03:00 CEST (02:30 does not exist that night), then 02:30 CEST.
        Assert.Equal(Many("2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"), occurrences);
        Assert.Equal(TimeSpan.FromHours(2), TimeZoneInfo.FindSystemTimeZoneById(Zurich).GetUtcOffset(occurrences[2]));
    }

    [Fact]
    public void On_the_fall_back_night_a_fixed_time_in_the_repeated_hour_runs_once_in_summer_time()
    {
        var atTwo = CronSchedule.Create("0 2 * * *", Zurich, MisfirePolicy.Skip, 10);
        var atHalfPastTwo = CronSchedule.Create("30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        Assert.Equal(
            Many("2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "2026-10-26T01:00:00Z"),
            atTwo.Between(Utc("2026-10-23T12:00:00Z"), Utc("2026-10-26T12:00:00Z")));
        Assert.Equal(
            Many("2026-10-25T00:30:00Z"),
            atHalfPastTwo.Between(Utc("2026-10-24T12:00:00Z"), Utc("2026-10-25T12:00:00Z")));
    }

    [Fact]
    public void On_the_fall_back_night_an_interval_in_the_repeated_hour_runs_in_both_instances()
    {
        var everyHalfHourAtTwo = CronSchedule.Create("*/30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        Assert.Equal(
            Many("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z"),
            everyHalfHourAtTwo.Between(Utc("2026-10-24T12:00:00Z"), Utc("2026-10-25T12:00:00Z")));
    }

    [Fact]
    public void Upcoming_marks_the_run_a_spring_forward_gap_moved_with_the_local_time_the_cron_names()
    {
        var schedule = CronSchedule.Create("30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        var upcoming = schedule.Upcoming(Utc("2026-03-27T12:00:00Z"), 3);

        Assert.Equal(
            [
                ("2026-03-28T01:30:00Z", "2026-03-28T02:30:00+01:00", false, null, null),
                ("2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00", true, "2026-03-29T02:30:00", null),
                ("2026-03-30T00:30:00Z", "2026-03-30T02:30:00+02:00", false, null, null),
            ],
            upcoming.Select(Flags));
        Assert.Equal(
            "02:30 does not exist in Europe/Zurich on 2026-03-29 (the clocks jump from 02:00 to 03:00), so this run moves to 03:00, the first instant after the gap.",
            upcoming[1].Note);
        Assert.Null(upcoming[0].Note);
        Assert.Null(upcoming[2].Note);
        Assert.All(upcoming, o => Assert.Equal(DateTimeKind.Utc, o.Utc.Kind));
    }

    [Fact]
    public void Upcoming_does_not_mark_a_time_that_exists_right_after_the_gap()
    {
        var atThree = CronSchedule.Create("0 3 * * *", Zurich, MisfirePolicy.Skip, 10);
        var everyHalfHour = CronSchedule.Create("*/30 * * * *", Zurich, MisfirePolicy.Skip, 10);

        Assert.Equal(
            [("2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00", false, null, null)],
            atThree.Upcoming(Utc("2026-03-28T12:00:00Z"), 1).Select(Flags));
        // 02:00 and 02:30 do not exist: Cronos runs once at 03:00, which the cron names anyway, for the first of them.
        Assert.Equal(
            [
                ("2026-03-29T00:30:00Z", "2026-03-29T01:30:00+01:00", false, null, null),
                ("2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00", true, "2026-03-29T02:00:00", null),
                ("2026-03-29T01:30:00Z", "2026-03-29T03:30:00+02:00", false, null, null),
            ],
            everyHalfHour.Upcoming(Utc("2026-03-29T00:00:00Z"), 3).Select(Flags));
    }

    [Fact]
    public void Upcoming_marks_a_fixed_time_in_the_fall_back_overlap_as_the_first_instance_only()
    {
        var schedule = CronSchedule.Create("30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        var upcoming = schedule.Upcoming(Utc("2026-10-24T12:00:00Z"), 2);

        Assert.Equal(
            [
                ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00", false, null, DstOverlaps.First),
                ("2026-10-26T01:30:00Z", "2026-10-26T02:30:00+01:00", false, null, null),
            ],
            upcoming.Select(Flags));
        Assert.Equal(
            "02:30 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the first, at +02:00; the second, at +01:00, does not run.",
            upcoming[0].Note);
    }

    [Fact]
    public void Upcoming_marks_an_interval_in_the_fall_back_overlap_in_both_instances()
    {
        var schedule = CronSchedule.Create("*/30 2 * * *", Zurich, MisfirePolicy.Skip, 10);

        var upcoming = schedule.Upcoming(Utc("2026-10-24T12:00:00Z"), 4);

        Assert.Equal(
            [
                ("2026-10-25T00:00:00Z", "2026-10-25T02:00:00+02:00", false, null, DstOverlaps.First),
                ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00", false, null, DstOverlaps.First),
                ("2026-10-25T01:00:00Z", "2026-10-25T02:00:00+01:00", false, null, DstOverlaps.Second),
                ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00", false, null, DstOverlaps.Second),
            ],
            upcoming.Select(Flags));
        Assert.Equal(
            "02:30 happens twice in Europe/Zurich on 2026-10-25 (the clocks go back 1 hour): this run is the second, at +01:00; the first, at +02:00, runs too.",
            upcoming[3].Note);
    }

    [Fact]
    public void Six_fields_put_seconds_first_and_five_fields_mean_minutes()
    {
        var everyFifteenSeconds = CronSchedule.Create("*/15 * * * * *", "UTC", MisfirePolicy.Skip, 10);
        var everyFifteenMinutes = CronSchedule.Create("*/15 * * * *", "UTC", MisfirePolicy.Skip, 10);

        Assert.Equal(
            Many("2026-01-01T00:00:15Z", "2026-01-01T00:00:30Z", "2026-01-01T00:00:45Z", "2026-01-01T00:01:00Z"),
            everyFifteenSeconds.Between(Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T00:01:00Z")));
        Assert.Equal(
            Many("2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z"),
            everyFifteenMinutes.Between(Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T00:30:00Z")));
    }

    [Fact]
    public void Zone_and_policy_are_normalised()
    {
        var schedule = CronSchedule.Create(" 0 6 * * * ", "europe/zurich", " ALL ", 3);

        Assert.Equal("0 6 * * *", schedule.Cron);
        Assert.Equal(Zurich, schedule.Zone.Id);
        Assert.Equal(MisfirePolicy.All, schedule.Misfire);
        Assert.Equal("all", schedule.Misfire.ToText());
    }

    [Fact]
    public void A_cron_out_of_range_names_the_field_and_the_reason()
    {
        var errors = CronSchedule.Validate("0 61 * * *", "UTC", MisfirePolicy.Skip, 10);

        var error = Assert.Single(errors);
        Assert.Equal("cron", error.Key);
        Assert.Equal(["Cron '0 61 * * *' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive)."], error.Value);
    }

    [Theory]
    [InlineData("* * *", "Cron '* * *' is not valid: it has 3 fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first).")]
    [InlineData("0 0 31 2 *", "Cron '0 0 31 2 *' is not valid: it never occurs.")]
    [InlineData("H 2 * * *", "Cron 'H 2 * * *' is not valid: 'H' (jitter) is not supported here; write the value itself.")]
    [InlineData("", "Required: a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first).")]
    [InlineData("0 6 * * MON-XYZ", "Cron '0 6 * * MON-XYZ' is not valid: Days of week: Value must be a number between 0 and 7 (all inclusive).")]
    public void Bad_crons_are_refused_with_a_sentence(string cron, string message)
    {
        var errors = CronSchedule.Validate(cron, "UTC", MisfirePolicy.Skip, 10);

        Assert.Equal([message], Assert.Contains("cron", errors));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var exception = Assert.Throws<InvalidScheduleException>(() => CronSchedule.Create("0 61 * * *", "Mars/Base", "sometimes", 0));

        Assert.Equal(["cron", "maxCatchUp", "misfire", "timeZone"], exception.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Time zone 'Mars/Base' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'."], exception.Errors["timeZone"]);
        Assert.Equal(["Misfire policy 'sometimes' is unknown; allowed: skip, once, all."], exception.Errors["misfire"]);
        Assert.Equal(["Must be 1..1000, was 0."], exception.Errors["maxCatchUp"]);
        Assert.StartsWith("cron: Cron '0 61 * * *' is not valid: Hours:", exception.Message, StringComparison.Ordinal);
    }

    private static (string Utc, string Local, bool Moved, string? MovedFrom, string? Overlap) Flags(ScheduleOccurrence occurrence) => (
        occurrence.Utc.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        occurrence.Local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        occurrence.MovedByDstGap,
        occurrence.MovedFrom?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        occurrence.DstOverlap);
}
