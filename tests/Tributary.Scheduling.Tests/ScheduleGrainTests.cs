using Tributary.Storage.Jobs;
using static Tributary.Scheduling.Tests.Instants;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// The schedule grain on a real cluster with the real job grain over PostgreSQL, driven by a fake clock.
/// The schedules run daily at 06:00 in Zurich, i.e. 04:00Z in May; the clock starts at 03:00Z on 1 May.
/// </summary>
public sealed class ScheduleGrainTests
{
    private static readonly ScheduleChange DailyAtSix = new("0 6 * * *", "Europe/Zurich");
    private static readonly DateTimeOffset[] NoOccurrences = [];

    [Fact]
    public async Task Duplicate_and_concurrent_ticks_start_exactly_one_run_for_an_occurrence()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule duplicate ticks", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(ReportJob.JobName);
        var configured = await schedule.Configure(DailyAtSix);
        Assert.Equal(Utc("2026-05-01T04:00:00Z"), configured.NextDue);

        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));
        await schedule.Tick();
        await schedule.Tick();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => schedule.Tick()));

        var run = Assert.Single(await cluster.RunsAsync(ReportJob.JobName));
        Assert.Equal((RunTrigger.Schedule, Utc("2026-05-01T04:00:00Z")), (run.Trigger, run.ScheduledFor));
        Assert.Equal(RunStatus.Succeeded, (await cluster.WaitForFinalAsync(run.RunId)).Status);
        await schedule.Tick();
        Assert.Single(await cluster.RunsAsync(ReportJob.JobName));

        var view = await schedule.Get();
        Assert.Equal(run.RunId, view.LastRunId);
        Assert.Equal(ScheduleOutcomes.Started, view.LastOutcome);
        Assert.Equal(Utc("2026-05-01T04:00:00Z"), view.LastOccurrence);
        Assert.Equal(Utc("2026-05-01T04:00:00Z"), view.HandledThrough);
        Assert.Equal(Utc("2026-05-02T04:00:00Z"), view.NextDue);
        Assert.Empty(view.Pending);
        Assert.Equal(0, view.Dropped);
    }

    [Fact]
    public async Task An_occurrence_the_job_already_served_is_not_run_again()
    {
        // As if the schedule had triggered the run and its silo died before it recorded the outcome.
        await using var cluster = await TributaryTestCluster.StartAsync("schedule already served", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(ReportJob.JobName);
        await schedule.Configure(DailyAtSix);
        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));
        var first = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For(ReportJob.JobName))
            .Trigger(new RunRequest(RunTrigger.Schedule, ScheduledFor: Utc("2026-05-01T04:00:00Z")));
        await cluster.WaitForFinalAsync(first.RunId);

        await schedule.Tick();

        var run = Assert.Single(await cluster.RunsAsync(ReportJob.JobName));
        Assert.Equal(first.RunId, run.RunId);
        var view = await schedule.Get();
        Assert.Equal(ScheduleOutcomes.AlreadyServed, view.LastOutcome);
        Assert.Equal(first.RunId, view.LastRunId);
        Assert.Empty(view.Pending);
    }

    [Fact]
    public async Task Policy_all_after_a_three_day_outage_runs_every_missed_occurrence_once_in_order()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule outage all", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(ReportJob.JobName);
        await schedule.Configure(DailyAtSix with { Misfire = MisfirePolicy.All });
        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));
        await schedule.Tick();
        await cluster.WaitUntilIdleAsync(ReportJob.JobName);

        // Three days without a tick, back 30 s after the 4 May occurrence.
        cluster.Time.SetUtcNow(Utc("2026-05-04T04:00:30Z"));
        await schedule.Tick();
        var afterOutage = await schedule.Get();
        Assert.Equal(Utc("2026-05-02T04:00:00Z"), afterOutage.LastOccurrence);
        Assert.Equal(Many("2026-05-03T04:00:00Z", "2026-05-04T04:00:00Z"), afterOutage.Pending);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), afterOutage.HandledThrough);
        Assert.Equal(Utc("2026-05-05T04:00:00Z"), afterOutage.NextDue);

        // One run at a time: each tick after the previous run finished starts the next occurrence.
        for (var i = 0; i < 3; i++)
        {
            await cluster.WaitUntilIdleAsync(ReportJob.JobName);
            await schedule.Tick();
        }

        await cluster.WaitUntilIdleAsync(ReportJob.JobName);
        var runs = await cluster.RunsAsync(ReportJob.JobName);
        Assert.Equal(Many("2026-05-01T04:00:00Z", "2026-05-02T04:00:00Z", "2026-05-03T04:00:00Z", "2026-05-04T04:00:00Z"), runs.Select(r => r.ScheduledFor!.Value));
        Assert.All(runs, r => Assert.Equal((RunTrigger.Schedule, RunStatus.Succeeded), (r.Trigger, r.Status)));
        var caughtUp = await schedule.Get();
        Assert.Empty(caughtUp.Pending);
        Assert.Equal(0, caughtUp.Dropped);
        Assert.Equal(runs[^1].RunId, caughtUp.LastRunId);
    }

    [Fact]
    public async Task A_busy_job_keeps_the_occurrence_pending_until_the_running_run_ends()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule busy job", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(GatedJob.JobName);
        await schedule.Configure(DailyAtSix with { Misfire = MisfirePolicy.Once });
        var manual = await schedule.TriggerNow();
        Assert.True(manual.Started);

        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));
        await schedule.Tick();
        var busy = await schedule.Get();
        Assert.Equal(ScheduleOutcomes.JobBusy, busy.LastOutcome);
        Assert.Equal(Many("2026-05-01T04:00:00Z"), busy.Pending);
        Assert.Single(await cluster.RunsAsync(GatedJob.JobName));

        cluster.Jobs().OpenGate();
        await cluster.WaitUntilIdleAsync(GatedJob.JobName);
        await schedule.Tick();

        var runs = await cluster.RunsAsync(GatedJob.JobName);
        Assert.Equal(2, runs.Count);
        Assert.Equal((manual.RunId, RunTrigger.Manual, (DateTimeOffset?)null), (runs[0].RunId, runs[0].Trigger, runs[0].ScheduledFor));
        Assert.Equal((RunTrigger.Schedule, (DateTimeOffset?)Utc("2026-05-01T04:00:00Z")), (runs[1].Trigger, runs[1].ScheduledFor));
        var started = await schedule.Get();
        Assert.Equal((ScheduleOutcomes.Started, (Guid?)runs[1].RunId), (started.LastOutcome, started.LastRunId));
        Assert.Empty(started.Pending);
    }

    [Fact]
    public async Task Pause_stops_triggering_and_resume_starts_from_now()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule pause", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(ReportJob.JobName);
        await schedule.Configure(new ScheduleChange("0 * * * *", Misfire: MisfirePolicy.All));
        Assert.Equal(1, await cluster.HeartbeatsAsync(ReportJob.JobName));

        var paused = await schedule.Pause();
        Assert.False(paused.Enabled);
        Assert.Null(paused.NextDue);
        Assert.Equal(0, await cluster.HeartbeatsAsync(ReportJob.JobName));

        cluster.Time.Advance(TimeSpan.FromDays(3));
        await schedule.Tick();
        Assert.Empty(await cluster.RunsAsync(ReportJob.JobName));

        var resumed = await schedule.Resume();
        Assert.True(resumed.Enabled);
        Assert.Equal(Utc("2026-05-04T03:00:00Z"), resumed.HandledThrough);
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), resumed.NextDue);
        Assert.Equal(1, await cluster.HeartbeatsAsync(ReportJob.JobName));
        await schedule.Tick();
        Assert.Empty(await cluster.RunsAsync(ReportJob.JobName));

        cluster.Time.Advance(TimeSpan.FromHours(1));
        await schedule.Tick();
        var run = Assert.Single(await cluster.RunsAsync(ReportJob.JobName));
        Assert.Equal(Utc("2026-05-04T04:00:00Z"), run.ScheduledFor);
    }

    [Fact]
    public async Task Invalid_changes_are_refused_with_the_field_and_the_reason_and_change_nothing()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule validation", o => o.WithScheduleJobs());
        var schedule = cluster.Schedule(ReportJob.JobName);
        var before = await schedule.Configure(DailyAtSix);

        var bad = new ScheduleChange(Cron: "0 61 * * *", TimeZone: "Mars/Base");
        var refused = await Assert.ThrowsAsync<InvalidScheduleException>(() => schedule.Configure(bad));
        // A misfire policy's text is read where it comes in (the API, configuration); the grain names the other problems.
        Assert.False(MisfirePolicy.TryFromText("sometimes", out _, out var misfireProblem));
        var refusedWithText = InvalidScheduleException.With(await schedule.Check(bad), "misfire", misfireProblem);

        Assert.Equal(["Cron '0 61 * * *' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive)."], refused.Errors["cron"]);
        Assert.Equal(["Time zone 'Mars/Base' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'."], refused.Errors["timeZone"]);
        Assert.Equal(["Misfire policy 'sometimes' is unknown; allowed: skip, once, all."], refusedWithText.Errors["misfire"]);
        Assert.Equal(["cron", "timeZone", "misfire"], refusedWithText.Errors.Keys);
        AssertSame(before, await schedule.Get());

        // Not found is a result the caller reads, not an exception.
        var unknown = await cluster.Schedule("no_such_job").Configure(DailyAtSix);
        Assert.Equal(("There is no job named 'no_such_job'. GET /api/schedules lists the scheduled jobs.", false), (unknown.NotFound, unknown.Configured));
        var unscheduled = await cluster.Schedule(DigestJob.JobName).Pause();
        Assert.Equal(("Job 'test_digest' has no schedule. PUT /api/schedules/test_digest with a cron creates one.", false), (unscheduled.NotFound, unscheduled.Configured));
        var noOccurrences = await cluster.Schedule(DigestJob.JobName).Occurrences(3);
        Assert.Equal(("Job 'test_digest' has no schedule. PUT /api/schedules/test_digest with a cron creates one.", 0), (noOccurrences.NotFound, noOccurrences.Occurrences.Count));
        var missingCron = await Assert.ThrowsAsync<InvalidScheduleException>(() => cluster.Schedule(DigestJob.JobName).Configure(new ScheduleChange(TimeZone: "UTC")));
        Assert.Equal(["cron"], missingCron.Errors.Keys);
    }

    [Fact]
    public async Task Operator_changes_persist_across_a_restart_and_configuration_never_overwrites_them()
    {
        var settings = new Dictionary<string, string>
        {
            [$"Jobs:{ReportJob.JobName}:Schedule:Cron"] = "0 6 * * *",
            [$"Jobs:{ReportJob.JobName}:Schedule:TimeZone"] = "Europe/Zurich",
            [$"Jobs:{DigestJob.JobName}:Schedule:Cron"] = "0 7 * * *",
        };
        var cluster = await TributaryTestCluster.StartAsync("schedule restart", o => o.WithScheduleJobs().WithSettings(settings));
        try
        {
            var seeded = await cluster.Schedule(ReportJob.JobName).Get();
            Assert.Equal(("0 6 * * *", "Europe/Zurich", (MisfirePolicy?)MisfirePolicy.Skip, 10, true, ScheduleSources.Configuration),
                (seeded.Cron, seeded.TimeZone, seeded.Misfire, seeded.MaxCatchUp, seeded.Enabled, seeded.ChangedBy));
            var operatorView = await cluster.Schedule(ReportJob.JobName).Configure(
                new ScheduleChange(Cron: "15 4 * * 1-5", Misfire: MisfirePolicy.All, MaxCatchUp: 5));
            await cluster.Schedule(ReportJob.JobName).Pause();
            var before = await cluster.Schedule(ReportJob.JobName).Get();
            Assert.Equal(ScheduleSources.Api, operatorView.ChangedBy);

            // The configuration moves on: the operator's schedule stays, the untouched one follows.
            settings[$"Jobs:{ReportJob.JobName}:Schedule:Cron"] = "0 8 * * *";
            settings[$"Jobs:{DigestJob.JobName}:Schedule:Cron"] = "0 9 * * *";
            cluster = await cluster.RestartAsync(o => o.WithSettings(settings));

            var after = await cluster.Schedule(ReportJob.JobName).Get();
            AssertSame(before, after);
            Assert.Equal(("15 4 * * 1-5", "Europe/Zurich", (MisfirePolicy?)MisfirePolicy.All, 5, false), (after.Cron, after.TimeZone, after.Misfire, after.MaxCatchUp, after.Enabled));
            var followed = await cluster.Schedule(DigestJob.JobName).Get();
            Assert.Equal(("0 9 * * *", "UTC", ScheduleSources.Configuration), (followed.Cron, followed.TimeZone, followed.ChangedBy));
            Assert.Equal(
                ["prune_analysis_tasks", DigestJob.JobName, ReportJob.JobName], // the analysis domain's daily retention is on in every cluster
                await cluster.Grains.GetGrain<IScheduleDirectoryGrain>(IScheduleDirectoryGrain.Key).List());
            Assert.Equal(0, await cluster.HeartbeatsAsync(ReportJob.JobName));
            Assert.Equal(1, await cluster.HeartbeatsAsync(DigestJob.JobName));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_heartbeat_reminder_ticks_the_schedule_without_any_call()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule heartbeat", o => o.WithScheduleJobs(heartbeat: TimeSpan.FromSeconds(1)));
        var schedule = cluster.Schedule(ReportJob.JobName);
        await schedule.Configure(DailyAtSix);

        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));

        var run = await Eventually.ValueAsync(
            async () => (await cluster.RunsAsync(ReportJob.JobName)).SingleOrDefault(),
            "the heartbeat triggers the 04:00Z occurrence");
        Assert.Equal(Utc("2026-05-01T04:00:00Z"), run.ScheduledFor);
        await cluster.WaitForFinalAsync(run.RunId);
        await Eventually.TrueAsync(async () => (await schedule.Get()).LastRunId == run.RunId, "the schedule records the run");
        Assert.Single(await cluster.RunsAsync(ReportJob.JobName));
    }

    /// <summary>Views are records, but their backlog is a list: compare it by content.</summary>
    private static void AssertSame(ScheduleSnapshot expected, ScheduleSnapshot actual)
    {
        Assert.Equal(expected.Pending, actual.Pending);
        Assert.Equal(expected with { Pending = NoOccurrences }, actual with { Pending = NoOccurrences });
    }
}
