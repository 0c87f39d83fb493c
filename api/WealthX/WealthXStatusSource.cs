using System.Collections.Concurrent;
using Tributary.Scheduling;
using Tributary.Storage.Dossiers;
using Tributary.Storage.Jobs;
using Tributary.WealthX;

namespace Tributary.Api.WealthX;

/// <summary>
/// Gathers a feed's status document (<see cref="WealthXStatusView"/>) cheaply enough for a live monitor to poll: one
/// grain read (the pull's progress; the schedule is reused for a second), and the store only when its count may have
/// changed in a way the pull's own counters cannot tell.
/// </summary>
/// <remarks>
/// <para>
/// Counting the stored dossiers is a scan of the whole store (420,000 rows at the seed's scale), so it is not done
/// per call. The count is kept per feed with the session it was taken in (the current one, else the last) and that
/// session's <c>inserted</c> counter: every page the pull stores adds its new IDs to that counter, so while the
/// same session runs, <c>count + (inserted now − inserted then)</c> is the store's count without a scan. The store is
/// counted again when the basis changes (another session began, the pull was reset), once more when a session that
/// was running at the count has ended (so the count after a session is taken from the store, not derived), and in
/// the background when a count is older than <see cref="MaxCountAge"/>, for writes outside the pull (a restore, a
/// bulk load). Concurrent callers that need a count share one query.
/// </para>
/// <para>
/// A session that ended is never written again, so its run and batches are kept in memory (the last one per feed);
/// the running session's are read from <see cref="JobRunStore"/> on every call (two indexed reads).
/// </para>
/// </remarks>
public sealed partial class WealthXStatusSource(
    DossierStores stores, JobRunStore runs, IConfiguration configuration, TimeProvider time, ILogger<WealthXStatusSource> logger)
{
    /// <summary>How old a count may get before it is taken again in the background (writes outside the pull).</summary>
    public static readonly TimeSpan MaxCountAge = TimeSpan.FromSeconds(60);

    /// <summary>How long the feed's schedule (its grain's view) is reused: a changed schedule shows within this.</summary>
    public static readonly TimeSpan ScheduleAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, FeedCount> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ScheduleSnapshot? View, DateTimeOffset ReadAt)> _schedules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionRun> _endedRuns = new(StringComparer.Ordinal);
    private readonly string _store = DossierStoreRegistration.Describe(configuration);

    /// <summary>The status document of <paramref name="feed"/>, from its pull's <paramref name="progress"/> and schedule.</summary>
    public async Task<WealthXStatusView> BuildAsync(
        string feed, WealthXPullProgress progress, ScheduleSnapshot? schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var count = await RecordsInStoreAsync(feed, progress);
        var current = progress.CurrentSession is { } running ? await SessionRunAsync(running.RunId, cancellationToken) : null;
        var last = progress.LastSession is { } ended ? await EndedRunAsync(feed, ended.RunId, cancellationToken) : null;
        return WealthXProgressView.Build(progress, count.Records, schedule, current, last, _store, time.GetUtcNow(), count.CountedAt);
    }

    /// <summary>
    /// The feed's schedule from <paramref name="read"/> (its grain), reused for <see cref="ScheduleAge"/> and never past
    /// its next occurrence, so a poll costs one grain call (the pull's progress), not two.
    /// </summary>
    public async Task<ScheduleSnapshot?> ScheduleAsync(string feed, Func<Task<ScheduleSnapshot?>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = time.GetUtcNow();
        if (_schedules.TryGetValue(feed, out var kept) && now - kept.ReadAt < ScheduleAge && !(kept.View?.NextDue <= now))
        {
            return kept.View;
        }

        var view = await read();
        _schedules[feed] = (view, now);
        return view;
    }

    /// <summary>Forgets what is kept for <paramref name="feed"/> (after a reset, so the next document counts afresh).</summary>
    public void Forget(string feed)
    {
        _counts.TryRemove(feed, out _);
        _endedRuns.TryRemove(feed, out _);
        _schedules.TryRemove(feed, out _);
    }

    private async Task<(long Records, DateTimeOffset CountedAt)> RecordsInStoreAsync(string feed, WealthXPullProgress progress)
    {
        var entry = _counts.GetOrAdd(feed, _ => new FeedCount());
        var session = progress.CurrentSession ?? progress.LastSession;
        var running = progress.CurrentSession is not null;
        Task<StoreCount> pending;
        StoreCount? known;
        lock (entry.Gate)
        {
            known = entry.Latest;
            var usable = known is not null
                && known.RunId == session?.RunId
                && (session?.Inserted ?? 0) >= known.Inserted
                && (known.Settled || running);
            if (usable && time.GetUtcNow() - known!.CountedAt >= MaxCountAge && entry.Pending is null)
            {
                // Still right as far as the pull knows; taken again in the background for writes outside it.
                entry.Pending = CountAsync(feed, entry, session, running);
            }

            if (usable)
            {
                return (known!.Records + ((session?.Inserted ?? 0) - known.Inserted), known.CountedAt);
            }

            pending = entry.Pending ??= CountAsync(feed, entry, session, running);
        }

        var counted = await pending;
        return (counted.Records + (counted.RunId == session?.RunId ? Math.Max(0, (session?.Inserted ?? 0) - counted.Inserted) : 0), counted.CountedAt);
    }

    /// <summary>Counts the store with the basis read before the count (a page stored in between is counted once more
    /// while its session runs, and exactly once by the count taken when the session has ended).</summary>
    private async Task<StoreCount> CountAsync(string feed, FeedCount entry, WealthXSessionInfo? session, bool running)
    {
        await Task.Yield();
        try
        {
            var at = time.GetUtcNow();
            var records = await stores.For(feed).CountAsync(CancellationToken.None);
            var counted = new StoreCount(records, at, session?.RunId, session?.Inserted ?? 0, Settled: !running);
            lock (entry.Gate)
            {
                entry.Latest = counted;
                entry.Pending = null;
            }

            return counted;
        }
        catch (Exception exception)
        {
            lock (entry.Gate)
            {
                entry.Pending = null;
                if (entry.Latest is { } previous)
                {
                    // A background recount failed: keep serving the last count; the next call tries again.
                    LogCountFailed(logger, feed, exception);
                    return previous;
                }
            }

            throw;
        }
    }

    private async Task<SessionRun?> EndedRunAsync(string feed, Guid runId, CancellationToken cancellationToken)
    {
        if (_endedRuns.TryGetValue(feed, out var kept) && kept.Run.RunId == runId)
        {
            return kept;
        }

        var run = await SessionRunAsync(runId, cancellationToken);
        if (run is { Run.FinishedAt: not null })
        {
            _endedRuns[feed] = run;
        }

        return run;
    }

    private async Task<SessionRun?> SessionRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetRunAsync(runId, cancellationToken);
        return run is null ? null : new SessionRun(run, await runs.GetBatchesAsync(runId, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WealthX {Feed}: recounting the stored dossiers failed; the status keeps the last count")]
    private static partial void LogCountFailed(ILogger logger, string feed, Exception exception);

    /// <summary>A feed's last count and the one under way.</summary>
    private sealed class FeedCount
    {
        public Lock Gate { get; } = new();

        public StoreCount? Latest { get; set; }

        public Task<StoreCount>? Pending { get; set; }
    }

    /// <summary>
    /// A count of the store, taken at <paramref name="CountedAt"/> while <paramref name="RunId"/> was the pull's
    /// session (current or last) with <paramref name="Inserted"/> new IDs stored; <paramref name="Settled"/> when no
    /// session was running then.
    /// </summary>
    private sealed record StoreCount(long Records, DateTimeOffset CountedAt, Guid? RunId, long Inserted, bool Settled);
}
