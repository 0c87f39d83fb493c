using Tributary.Api.WealthX;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;
using Xunit;

namespace Tributary.WealthX.Tests.Api;

public sealed class WealthXProgressViewTests
{
    private const string Cron = "0 8,14,20 * * *";
    private const string Zone = "Europe/Zurich";

    /// <summary>Friday 13:00 CET; Zurich moves to summer time on Sunday 2025-03-30 at 02:00.</summary>
    private static readonly DateTimeOffset BeforeSpringForward = new(2025, 3, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly WealthXPullSettings Defaults = new(500, 14_000, TimeSpan.FromSeconds(1), Cron, Zone);

    private static readonly CronSchedule Calendar = CronSchedule.Read(Cron, Zone);

    [Fact]
    public void The_estimate_counts_cron_starts_across_the_spring_forward_change()
    {
        // Six sessions: Fri 14:00 and 20:00 CET, Sat 08:00, 14:00 and 20:00 CET, then Sun 08:00 CEST; 28 calls of 1 s.
        var estimate = WealthXProgressView.EstimatedCompletion(6, null, Calendar, TimeSpan.FromSeconds(28), BeforeSpringForward);

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 8, 0, 28, TimeSpan.FromHours(2)), estimate);
        Assert.Equal(TimeSpan.FromHours(2), estimate!.Value.Offset);
    }

    [Fact]
    public void A_running_session_is_the_first_of_the_remaining_ones()
    {
        // A manual session, started at 12:59 CET, is still running at 13:00.
        var startedAt = new DateTimeOffset(2025, 3, 28, 11, 59, 0, TimeSpan.Zero);

        var estimate = WealthXProgressView.EstimatedCompletion(6, startedAt, Calendar, TimeSpan.FromSeconds(28), BeforeSpringForward);
        var lastOne = WealthXProgressView.EstimatedCompletion(1, startedAt, Calendar, TimeSpan.FromSeconds(28), BeforeSpringForward);

        Assert.Equal(new DateTimeOffset(2025, 3, 29, 20, 0, 28, TimeSpan.FromHours(1)), estimate);
        Assert.Equal(TimeSpan.FromHours(1), estimate!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2025, 3, 28, 12, 59, 28, TimeSpan.FromHours(1)), lastOne);
    }

    [Fact]
    public void The_status_estimates_from_the_enabled_schedule_with_one_interval_per_call()
    {
        var progress = Progress(totalDossiers: 420_000, recordsProcessed: 336_000);

        var status = WealthXProgressView.Build(progress, 336_010, Schedule(enabled: true), null, null, "postgresql", BeforeSpringForward);

        Assert.Equal(80, status.CompletionPercentage);
        Assert.Equal(6, status.SessionsRemaining);
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 8, 0, 28, TimeSpan.FromHours(2)), status.EstimatedCompletion);
        Assert.Equal("full", status.Mode);
        Assert.Equal(336_010, status.RecordsInStore);
        Assert.Equal(BeforeSpringForward, status.LastUpdated);
        Assert.Equal(new WealthXScheduleSummary(Cron, Zone, true, new DateTimeOffset(2025, 3, 28, 14, 0, 0, TimeSpan.FromHours(1))), status.Schedule);
        Assert.Equal(new WealthXSettingsView(500, 14_000, 1), status.Settings);
        Assert.Equal("postgresql", status.Store);
    }

    [Fact]
    public void A_paused_schedule_an_unknown_total_or_a_complete_pull_has_no_estimate()
    {
        var paused = WealthXProgressView.Build(Progress(420_000, 0), 0, Schedule(enabled: false), null, null, "mongodb", BeforeSpringForward);
        var unknown = WealthXProgressView.Build(Progress(null, 0), 0, Schedule(enabled: true), null, null, "mongodb", BeforeSpringForward);
        var complete = WealthXProgressView.Build(
            Progress(420_000, 420_000) with { Complete = true }, 420_000, Schedule(enabled: true), null, null, "mongodb", BeforeSpringForward);
        var unscheduled = WealthXProgressView.Build(Progress(420_000, 0), 0, null, null, null, "mongodb", BeforeSpringForward);

        Assert.Null(paused.EstimatedCompletion);
        Assert.Equal(30, paused.SessionsRemaining);
        Assert.Null(unknown.EstimatedCompletion);
        Assert.Null(unknown.SessionsRemaining);
        Assert.Null(unknown.CompletionPercentage);
        Assert.Null(complete.EstimatedCompletion);
        Assert.Equal(0, complete.SessionsRemaining);
        Assert.Equal("incremental", complete.Mode);
        Assert.Null(unscheduled.EstimatedCompletion);
        Assert.Null(unscheduled.Schedule);
    }

    [Fact]
    public void The_seeds_progress_json_fields_carry_its_meanings()
    {
        // A session that started at 07:00 UTC, 08:00 in Zurich (winter time), and stored 14,000 of 420,000.
        var runId = Guid.Parse("0b6f3c1d-2e4a-4b5c-9d8e-7f6a5b4c3d2e");
        var startedAt = new DateTimeOffset(2025, 3, 28, 7, 0, 0, 250, TimeSpan.Zero);
        var session = new WealthXSessionInfo(runId, "full", null, startedAt, 1, 28, 28, 14_000, 14_000, 0, 0, "succeeded", startedAt.AddSeconds(30), null);

        var status = WealthXProgressView.Build(
            Progress(420_000, 14_000) with { LastSession = session }, 14_000, Schedule(enabled: true), null, null, "postgresql", BeforeSpringForward);

        Assert.Equal(14_000, status.LastProcessedIndex);
        Assert.Equal(14_001, status.CurrentIndex);
        Assert.Equal(420_000, status.TotalRecords);
        Assert.Equal(14_000, status.RecordsProcessed);
        Assert.Equal("20250328_080000", status.SessionId);
        Assert.Equal("2025-03-28T08:00:00.250000", status.SessionStart);
        Assert.Equal(3.33, status.CompletionPercentage);
        // 406,000 left at 3 sessions of 14,000 a day.
        Assert.Equal(9.67, status.EstimatedRemainingDays);
    }

    [Fact]
    public void Before_the_first_page_the_last_processed_index_is_0_and_nothing_is_estimated()
    {
        var status = WealthXProgressView.Build(Progress(null, 0), 0, Schedule(enabled: true), null, null, "postgresql", BeforeSpringForward);
        var paused = WealthXProgressView.Build(Progress(420_000, 0), 0, Schedule(enabled: false), null, null, "postgresql", BeforeSpringForward);
        var complete = WealthXProgressView.Build(Progress(420_000, 420_000) with { Complete = true }, 420_000, null, null, null, "postgresql", BeforeSpringForward);

        Assert.Equal((0, (int?)null, (string?)null, (string?)null, (double?)null), (status.LastProcessedIndex, status.TotalRecords, status.SessionId, status.SessionStart, status.EstimatedRemainingDays));
        Assert.Null(paused.EstimatedRemainingDays);
        Assert.Equal(0, complete.EstimatedRemainingDays);
        Assert.Equal(420_000, complete.LastProcessedIndex);
    }

    [Fact]
    public void The_percentage_has_two_decimals_and_stops_at_100()
    {
        Assert.Equal(33.33, WealthXProgressView.CompletionPercentage(1, 3));
        Assert.Equal(66.67, WealthXProgressView.CompletionPercentage(2, 3));
        Assert.Equal(100, WealthXProgressView.CompletionPercentage(1_300, 1_234));
        Assert.Null(WealthXProgressView.CompletionPercentage(0, null));
    }

    [Fact]
    public void The_current_session_shows_each_page_of_its_run()
    {
        var runId = Guid.Parse("3f1b6c2e-9a2d-4a57-8d0e-1c2b3a4d5e6f");
        var startedAt = new DateTimeOffset(2025, 3, 28, 11, 59, 0, TimeSpan.Zero);
        var session = new WealthXSessionInfo(runId, "full", null, startedAt, 419_001, 3, 1, 500, 400, 50, 50, null, null, null);
        var progress = Progress(420_000, 419_500) with { CurrentSession = session };
        var run = new JobRunRecord(
            runId, "wealthx_default", RunTrigger.Schedule, RunStatus.Running, null, new Dictionary<string, string>(), null, null,
            ["419001-419500", "419501-420000", "420001-420500"], 1, startedAt, startedAt, null, 0, 0, 0, null);
        IReadOnlyList<JobBatchRecord> batches =
        [
            new(runId, 0, 0, 1, JobBatchRecord.Succeeded, 500, 1, 1_200, null, startedAt, startedAt.AddSeconds(1)),
            new(runId, 1, 1, 1, JobBatchRecord.DeadLettered, 0, 5, 40_000, "WealthX answered 503", startedAt, startedAt.AddSeconds(41)),
            new(runId, 2, 2, 1, JobBatchRecord.Running, 0, 1, null, null, startedAt, null),
        ];

        var status = WealthXProgressView.Build(progress, 419_500, null, new SessionRun(run, batches), null, "postgresql", BeforeSpringForward);

        var current = status.CurrentSession!;
        Assert.Equal(runId, current.RunId);
        Assert.Equal(3, current.BatchesPlanned);
        Assert.Equal(1, current.BatchesDone);
        Assert.Equal(1, current.BatchesFailed);
        Assert.Equal(500, current.Records);
        Assert.Equal(
            [
                new WealthXBatchView(0, "succeeded", 419_001, 419_500, 500, 1, 1_200, null),
                new WealthXBatchView(1, "dead_lettered", 419_501, 420_000, null, 5, 40_000, "WealthX answered 503"),
                new WealthXBatchView(2, "running", 420_001, 420_500, null, 1, null, null),
            ],
            current.Batches);
        Assert.Null(status.LastSession);
    }

    [Fact]
    public void The_last_session_without_a_stored_run_counts_the_grain_pages()
    {
        var runId = Guid.Parse("0b6f3c1d-2e4a-4b5c-9d8e-7f6a5b4c3d2e");
        var startedAt = new DateTimeOffset(2025, 3, 28, 7, 0, 0, TimeSpan.Zero);
        var finishedAt = startedAt.AddSeconds(30);
        var session = new WealthXSessionInfo(runId, "full", null, startedAt, 1, 28, 28, 14_000, 14_000, 0, 0, "succeeded", finishedAt, null);

        var status = WealthXProgressView.Build(Progress(420_000, 14_000) with { LastSession = session }, 14_000, null, null, null, "postgresql", BeforeSpringForward);

        Assert.Equal(
            new WealthXLastSessionView(runId, "full", null, startedAt, 1, 28, 28, 0, 14_000, 14_000, 0, 0, "succeeded", finishedAt, null),
            status.LastSession);
    }

    private static WealthXPullProgress Progress(int? totalDossiers, long recordsProcessed) => new(
        Feed: "default",
        NextIndex: (int)recordsProcessed + 1,
        TotalDossiers: totalDossiers,
        RecordsProcessed: recordsProcessed,
        Complete: false,
        CompletedAt: null,
        PullStartedAt: null,
        IncrementalSince: null,
        IncrementalNextIndex: 1,
        IncrementalTotal: null,
        IncrementalRecords: 0,
        SessionsDone: (int)(recordsProcessed / 14_000),
        CurrentSession: null,
        LastSession: null,
        LastError: null,
        LastErrorAt: null,
        ResetAt: null,
        Settings: Defaults);

    private static ScheduleSnapshot Schedule(bool enabled) => new(
        "wealthx_default", true, Cron, Zone, MisfirePolicy.Skip, ScheduleLimits.DefaultMaxCatchUp, enabled,
        enabled ? new DateTimeOffset(2025, 3, 28, 14, 0, 0, TimeSpan.FromHours(1)) : null,
        null, [], 0, null, null, null, null, null, null, ScheduleSources.Configuration, null);
}
