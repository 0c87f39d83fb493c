using Tributary.Storage.Jobs;
using Tributary.Testing;
using Xunit;

namespace Tributary.WealthX.Tests.Pull;

/// <summary>
/// <see cref="IWealthXPullGrain"/> on a real cluster over PostgreSQL, called as the job runtime would call it, with
/// the cases a session run one page at a time never shows: pages stored out of order, pages stored twice, pages of a
/// session that was replaced or reset, and the passes' ends.
/// </summary>
public sealed class WealthXPullGrainTests(WealthXPullClusterFixture fixture) : IClassFixture<WealthXPullClusterFixture>
{
    private const string Full = WealthXPassMode.Full;
    private const string Incremental = WealthXPassMode.Incremental;

    private TributaryTestCluster Cluster => fixture.Cluster;

    private DateTimeOffset Now => Cluster.Time.GetUtcNow();

    [Fact]
    public async Task A_first_plan_with_the_defaults_is_28_pages_of_500_from_index_1()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();

        var plan = await pull.PlanSession(run, null);

        Assert.Equal(Full, plan.Mode);
        Assert.Null(plan.Since);
        Assert.Equal(1, plan.StartIndex);
        Assert.Equal(28, plan.Pages.Count);
        Assert.Equal(Enumerable.Range(0, 28).Select(i => $"{(i * 500) + 1}-{(i + 1) * 500}"), plan.Pages);
        Assert.Equal("1-500", plan.Pages[0]);
        Assert.Equal("13501-14000", plan.Pages[^1]);

        var progress = await pull.GetProgress();
        Assert.Equal(new WealthXSessionInfo(run, Full, null, Now, 1, 28, 0, 0, 0, 0, 0, "running", null, null), progress.CurrentSession);
        Assert.Equal(Now, progress.PullStartedAt);
        Assert.Equal(1, progress.NextIndex);
        Assert.Equal((500, 14_000), (progress.Settings.ApiBatchSize, progress.Settings.SessionSize));
    }

    [Fact]
    public async Task A_plan_with_max_batches_3_is_the_first_3_pages()
    {
        var pull = await fixture.FreshPullAsync();

        var plan = await pull.PlanSession(Guid.NewGuid(), 3);

        Assert.Equal(["1-500", "501-1000", "1001-1500"], plan.Pages);
        Assert.Equal((Full, 1), (plan.Mode, plan.StartIndex));
        Assert.Equal(3, (await pull.GetProgress()).CurrentSession!.PagesPlanned);
    }

    [Fact]
    public async Task A_session_of_1200_records_ends_with_a_short_page()
    {
        await using var cluster = await TributaryTestCluster.StartAsync(
            "wealthx pull 1200", o => o.WithWealthXPull().WithSetting("WealthX:SessionSize", "1200"));

        var plan = await cluster.Pull().PlanSession(Guid.NewGuid(), null);

        Assert.Equal(["1-500", "501-1000", "1001-1200"], plan.Pages);
        Assert.Equal((Full, (DateOnly?)null, 1), (plan.Mode, plan.Since, plan.StartIndex));
    }

    [Fact]
    public async Task Pages_committed_out_of_order_move_the_cursor_once_the_gap_closes_and_count_once()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);

        var ahead = await pull.CommitPage(Page(run, 501, 1000, 500, 420_000));
        Assert.Equal(new WealthXCheckpoint(1, false, false, 0), ahead);
        var waiting = await pull.GetProgress();
        Assert.Equal((1, 0L, (int?)420_000), (waiting.NextIndex, waiting.RecordsProcessed, waiting.TotalDossiers));

        var gapClosed = await pull.CommitPage(Page(run, 1, 500, 500, 420_000));
        Assert.Equal(new WealthXCheckpoint(1001, false, false, 1000), gapClosed);

        // A re-run after a crash stores both pages again: nothing moves, nothing is counted twice.
        var again = await pull.CommitPage(Page(run, 1, 500, 500, 420_000, inserted: 0));
        Assert.Equal(new WealthXCheckpoint(1001, false, false, 1000), again);
        Assert.Equal(new WealthXCheckpoint(1001, false, false, 1000), await pull.CommitPage(Page(run, 501, 1000, 500, 420_000, inserted: 0)));

        var progress = await pull.GetProgress();
        Assert.Equal((1001, 1000L, (int?)420_000, false), (progress.NextIndex, progress.RecordsProcessed, progress.TotalDossiers, progress.Complete));
        var session = progress.CurrentSession!;
        Assert.Equal((2, 1000L, 1000L, 0L, 0L), (session.PagesStored, session.Records, session.Inserted, session.Updated, session.Unchanged));
    }

    [Fact]
    public async Task A_page_stored_twice_ahead_of_the_cursor_counts_once()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);

        await pull.CommitPage(Page(run, 1001, 1500, 500, 420_000));
        await pull.CommitPage(Page(run, 1001, 1500, 500, 420_000, inserted: 0));
        Assert.Equal(new WealthXCheckpoint(1, false, false, 0), await pull.CommitPage(Page(run, 501, 1000, 500, 420_000)));
        var checkpoint = await pull.CommitPage(Page(run, 1, 500, 500, 420_000));

        Assert.Equal(new WealthXCheckpoint(1501, false, false, 1500), checkpoint);
        var session = (await pull.GetProgress()).CurrentSession!;
        Assert.Equal((3, 1500L, 1500L), (session.PagesStored, session.Records, session.Inserted));
    }

    [Fact]
    public async Task Pages_are_ordered_up_to_the_reported_total_and_skipped_past_it_when_stored_or_stale()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);
        await pull.CommitPage(Page(run, 1, 500, 500, 1234));

        Assert.Equal(new WealthXPageOrder(false, Full, 501, 1000, null, null), await pull.OrderPage(run, 501, 1000));
        Assert.Equal(new WealthXPageOrder(false, Full, 1001, 1234, null, null), await pull.OrderPage(run, 1001, 1500));
        Assert.Equal(
            new WealthXPageOrder(true, Full, 1501, 2000, null, "index 1501 lies past the 1234 dossiers WealthX reported", EndOfData: true),
            await pull.OrderPage(run, 1501, 2000));
        Assert.Equal(
            new WealthXPageOrder(true, Full, 1, 500, null, "indexes 1-500 are stored already", EndOfData: false),
            await pull.OrderPage(run, 1, 500));

        // Stored ahead of the cursor is stored too.
        await pull.CommitPage(Page(run, 1001, 1234, 234, 1234));
        Assert.Equal(
            new WealthXPageOrder(true, Full, 1001, 1500, null, "indexes 1001-1500 are stored already", EndOfData: false),
            await pull.OrderPage(run, 1001, 1500));

        Assert.Equal(
            new WealthXPageOrder(true, Full, 501, 1000, null,
                "the session is no longer the feed's current one (the pull was reset, or a newer session began)", EndOfData: true),
            await pull.OrderPage(Guid.NewGuid(), 501, 1000));
    }

    [Fact]
    public async Task The_end_of_the_data_completes_the_full_pass_and_incremental_passes_ask_since_the_day_the_previous_pass_began()
    {
        var pull = await fixture.FreshPullAsync();
        var pullStarted = Now;
        var first = Guid.NewGuid();
        await pull.PlanSession(first, null);
        Cluster.Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(new WealthXCheckpoint(501, false, false, 500), await pull.CommitPage(Page(first, 1, 500, 500, 1234)));
        Assert.Equal(new WealthXCheckpoint(1001, false, false, 1000), await pull.CommitPage(Page(first, 501, 1000, 500, 1234)));
        var last = await pull.CommitPage(Page(first, 1001, 1234, 234, 1234));
        Assert.Equal((true, true, 1234L), (last.EndOfData, last.Complete, last.RecordsProcessed));
        var completedAt = Now;
        await pull.SessionFinished(first, RunStatus.Succeeded, null);

        var complete = await pull.GetProgress();
        Assert.Equal((1235, (int?)1234, 1234L, true), (complete.NextIndex, complete.TotalDossiers, complete.RecordsProcessed, complete.Complete));
        Assert.Equal((completedAt, pullStarted), (complete.CompletedAt, complete.PullStartedAt));
        Assert.Equal(Day(pullStarted), complete.IncrementalSince);

        // The first incremental pass asks for what changed since the day the full pass began, not the day it ended.
        Cluster.Time.Advance(TimeSpan.FromDays(1));
        var passStarted = Now;
        var second = Guid.NewGuid();
        var plan = await pull.PlanSession(second, null);
        Assert.Equal((Incremental, Day(pullStarted), 1, 28), (plan.Mode, plan.Since, plan.StartIndex, plan.Pages.Count));
        Assert.Equal(["1-500", "501-1000"], plan.Pages.Take(2));
        Assert.Equal(
            new WealthXPageOrder(false, Incremental, 1, 500, Day(pullStarted), null),
            await pull.OrderPage(second, 1, 500));

        Cluster.Time.Advance(TimeSpan.FromDays(1));
        var changed = await pull.CommitPage(Page(second, 1, 500, 3, 3, Incremental, Day(pullStarted)));
        Assert.Equal((true, true, 1234L), (changed.EndOfData, changed.Complete, changed.RecordsProcessed));
        await pull.SessionFinished(second, RunStatus.Succeeded, null);

        var afterPass = await pull.GetProgress();
        Assert.Equal((Day(passStarted), 1, (int?)null), (afterPass.IncrementalSince, afterPass.IncrementalNextIndex, afterPass.IncrementalTotal));
        Assert.Equal((1234L, 3L, 1235, 2), (afterPass.RecordsProcessed, afterPass.IncrementalRecords, afterPass.NextIndex, afterPass.SessionsDone));

        Cluster.Time.Advance(TimeSpan.FromDays(1));
        var next = await pull.PlanSession(Guid.NewGuid(), 2);
        Assert.Equal(["1-500", "501-1000"], next.Pages);
        Assert.Equal((Incremental, Day(passStarted), 1), (next.Mode, next.Since, next.StartIndex));
    }

    [Fact]
    public async Task The_checkpoint_of_the_page_that_completes_the_full_pass_names_the_index_after_it()
    {
        // The batch event of page 1001-1234 says where the full pass got to, although the next pass starts at 1.
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);
        await pull.CommitPage(Page(run, 1, 500, 500, 1234));
        await pull.CommitPage(Page(run, 501, 1000, 500, 1234));

        var last = await pull.CommitPage(Page(run, 1001, 1234, 234, 1234));

        Assert.Equal(new WealthXCheckpoint(1235, true, true, 1234), last);
    }

    [Fact]
    public async Task The_short_last_page_of_a_pass_is_stored_already_when_its_batch_runs_again()
    {
        // The planned page 1001-1500 ended short at 1234, so the cursor (1235) lies inside it: a re-run must not fetch it.
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);
        await pull.CommitPage(Page(run, 1, 500, 500, 1234));
        await pull.CommitPage(Page(run, 501, 1000, 500, 1234));
        await pull.CommitPage(Page(run, 1001, 1234, 234, 1234));

        var order = await pull.OrderPage(run, 1001, 1500);

        Assert.True(order.Skip, $"page 1001-1500 was ordered as {order.FromIndex}-{order.ToIndex}");
        Assert.Equal(("indexes 1001-1500 are stored already", true), (order.SkipReason, order.EndOfData));
    }

    [Fact]
    public async Task A_page_that_ended_an_incremental_pass_counts_once_when_stored_again()
    {
        // The pass began on its own Since day (sessions several times a day): ending it leaves Since unchanged and the
        // cursor at 1, so the re-run's commit looks like a new pass's first page unless the grain knows the pass ended.
        var pull = await fixture.FreshPullAsync();
        var today = Day(Now);
        var full = Guid.NewGuid();
        await pull.PlanSession(full, null);
        await pull.CommitPage(Page(full, 1, 500, 10, 10));
        await pull.SessionFinished(full, RunStatus.Succeeded, null);
        var run = Guid.NewGuid();
        var plan = await pull.PlanSession(run, null);
        Assert.Equal((Incremental, today), (plan.Mode, plan.Since));
        await pull.CommitPage(Page(run, 1, 500, 3, 3, Incremental, today));

        await pull.CommitPage(Page(run, 1, 500, 3, 3, Incremental, today, inserted: 0));

        var progress = await pull.GetProgress();
        Assert.Equal(3L, progress.IncrementalRecords);
        Assert.Equal((1, 3L), (progress.CurrentSession!.PagesStored, progress.CurrentSession.Records));
    }

    [Fact]
    public async Task A_commit_of_another_run_leaves_the_cursor_alone()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);

        var stale = await pull.CommitPage(Page(Guid.NewGuid(), 1, 500, 500, 420_000));

        Assert.Equal(new WealthXCheckpoint(1, false, false, 0), stale);
        var progress = await pull.GetProgress();
        Assert.Equal((1, 0L, (int?)null), (progress.NextIndex, progress.RecordsProcessed, progress.TotalDossiers));
        Assert.Equal((run, 0, 0L), (progress.CurrentSession!.RunId, progress.CurrentSession.PagesStored, progress.CurrentSession.Records));
    }

    [Fact]
    public async Task A_commit_of_a_session_replaced_by_a_newer_one_or_ended_by_a_reset_leaves_the_cursor_alone()
    {
        var pull = await fixture.FreshPullAsync();
        var old = Guid.NewGuid();
        await pull.PlanSession(old, null);
        await pull.CommitPage(Page(old, 1, 500, 500, 420_000));
        var newer = Guid.NewGuid();
        await pull.PlanSession(newer, null);

        Assert.Equal(new WealthXCheckpoint(501, false, false, 500), await pull.CommitPage(Page(old, 501, 1000, 500, 420_000)));
        var replaced = await pull.GetProgress();
        Assert.Equal((501, 500L, newer, 0), (replaced.NextIndex, replaced.RecordsProcessed, replaced.CurrentSession!.RunId, replaced.CurrentSession.PagesStored));

        await pull.Reset(null);
        var afterReset = await pull.CommitPage(Page(newer, 501, 1000, 500, 420_000));

        Assert.Equal(new WealthXCheckpoint(1, false, false, 0), afterReset);
        var progress = await pull.GetProgress();
        Assert.Equal((1, 0L, (int?)null, (WealthXSessionInfo?)null), (progress.NextIndex, progress.RecordsProcessed, progress.TotalDossiers, progress.CurrentSession));
    }

    [Fact]
    public async Task A_commit_of_the_other_pass_leaves_the_cursor_alone()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);

        await pull.CommitPage(Page(run, 1, 500, 3, 3, Incremental, Day(Now)));

        var progress = await pull.GetProgress();
        Assert.Equal((1, 0L, 0L, false), (progress.NextIndex, progress.RecordsProcessed, progress.IncrementalRecords, progress.Complete));
    }

    [Fact]
    public async Task A_finished_session_is_counted_once_a_failed_one_records_its_error_and_an_unknown_run_changes_nothing()
    {
        var pull = await fixture.FreshPullAsync();
        var first = Guid.NewGuid();
        await pull.PlanSession(first, 2);
        var firstStarted = Now;
        await pull.CommitPage(Page(first, 1, 500, 500, 420_000, inserted: 400, updated: 60, unchanged: 40));
        Cluster.Time.Advance(TimeSpan.FromMinutes(5));

        await pull.SessionFinished(first, RunStatus.Succeeded, null);

        var succeeded = await pull.GetProgress();
        Assert.Equal(1, succeeded.SessionsDone);
        Assert.Null(succeeded.CurrentSession);
        Assert.Equal(new WealthXSessionInfo(first, Full, null, firstStarted, 1, 2, 1, 500, 400, 60, 40, "succeeded", Now, null), succeeded.LastSession);
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (succeeded.LastError, succeeded.LastErrorAt));

        Cluster.Time.Advance(TimeSpan.FromMinutes(5));
        await pull.SessionFinished(first, RunStatus.Failed, "too late");
        Assert.Equal(succeeded, await pull.GetProgress());

        var second = Guid.NewGuid();
        await pull.PlanSession(second, null);
        Cluster.Time.Advance(TimeSpan.FromMinutes(5));
        await pull.SessionFinished(second, RunStatus.Failed, "WealthX rejected the credentials (401)");

        var failed = await pull.GetProgress();
        Assert.Equal(1, failed.SessionsDone);
        Assert.Equal(("WealthX rejected the credentials (401)", (DateTimeOffset?)Now), (failed.LastError, failed.LastErrorAt));
        Assert.Equal((second, "failed", (DateTimeOffset?)Now, "WealthX rejected the credentials (401)"),
            (failed.LastSession!.RunId, failed.LastSession.Status, failed.LastSession.FinishedAt, failed.LastSession.Error));
        Assert.Null(failed.CurrentSession);

        var third = Guid.NewGuid();
        await pull.PlanSession(third, null);
        var running = await pull.GetProgress();
        await pull.SessionFinished(Guid.NewGuid(), RunStatus.Succeeded, null);
        Assert.Equal(running, await pull.GetProgress());
        Assert.Equal(third, running.CurrentSession!.RunId);
    }

    [Fact]
    public async Task A_partially_succeeded_session_counts()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);

        await pull.SessionFinished(run, RunStatus.PartiallySucceeded, "page 501-1000 failed");

        var progress = await pull.GetProgress();
        Assert.Equal((1, "partially_succeeded", "page 501-1000 failed"), (progress.SessionsDone, progress.LastSession!.Status, progress.LastError));
    }

    [Fact]
    public async Task A_reset_while_a_session_runs_is_refused_naming_the_run_and_a_reset_otherwise_starts_over()
    {
        var pull = await fixture.FreshPullAsync();
        var run = Guid.NewGuid();
        await pull.PlanSession(run, null);
        await pull.CommitPage(Page(run, 1, 500, 500, 420_000));
        await pull.SessionFinished(run, RunStatus.Failed, "stopped");
        var before = await pull.GetProgress();
        var running = Guid.NewGuid();

        var refused = await Assert.ThrowsAsync<WealthXSessionRunningException>(() => pull.Reset(running));

        Assert.Equal(
            $"Session {running} of feed 'default' is running; wait for it to end (GET /api/wealthx/default/status) and reset then.",
            refused.Message);
        Assert.Equal(before, await pull.GetProgress());

        Cluster.Time.Advance(TimeSpan.FromHours(1));
        var reset = await pull.Reset(null);

        Assert.Equal(
            new WealthXPullProgress(
                "default", 1, null, 0, false, null, null, null, 1, null, 0, 0, null, null, null, null, Now, before.Settings),
            reset);
        Assert.Equal(reset, await pull.GetProgress());
    }

    [Fact]
    public async Task A_feed_that_is_not_configured_is_not_found()
    {
        var nope = Cluster.Cluster.Client.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey("nope"));

        var notFound = await Assert.ThrowsAsync<WealthXFeedNotFoundException>(nope.GetProgress);

        Assert.StartsWith("There is no WealthX feed named 'nope'.", notFound.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WealthXFeedNotFoundException>(() => nope.PlanSession(Guid.NewGuid(), null));
    }

    [Fact]
    public async Task The_cursor_and_the_pages_stored_ahead_of_it_survive_a_restart_of_the_cluster()
    {
        var cluster = await TributaryTestCluster.StartAsync("wealthx pull restart", o => o.WithWealthXPull());
        try
        {
            var run = Guid.NewGuid();
            await cluster.Pull().PlanSession(run, null);
            await cluster.Pull().CommitPage(Page(run, 1, 500, 500, 420_000));
            await cluster.Pull().CommitPage(Page(run, 1001, 1500, 500, 420_000));
            var before = await cluster.Pull().GetProgress();
            Assert.Equal((501, 500L, 2), (before.NextIndex, before.RecordsProcessed, before.CurrentSession!.PagesStored));

            cluster = await cluster.RestartAsync();

            Assert.Equal(before, await cluster.Pull().GetProgress());
            // The page stored ahead before the restart is still waiting for the gap.
            Assert.Equal(new WealthXCheckpoint(1501, false, false, 1500), await cluster.Pull().CommitPage(Page(run, 501, 1000, 500, 420_000)));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static WealthXPageCommit Page(
        Guid run, int from, int to, int records, int total, string mode = Full, DateOnly? since = null,
        int? inserted = null, int updated = 0, int unchanged = 0) =>
        new(run, mode, since, from, to, records, total, inserted ?? records, updated, unchanged);

    private static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);
}
