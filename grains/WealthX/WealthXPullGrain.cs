using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Storage.Jobs;

namespace Tributary.WealthX;

/// <inheritdoc cref="IWealthXPullGrain"/>
/// <remarks>
/// <para>
/// The cursor moves only over stored pages, and only over contiguous ones: a page stored ahead of a gap waits in
/// <see cref="WealthXPullState.Ahead"/>. A page stored twice (a batch re-run after its silo died) is counted once.
/// </para>
/// <para>
/// The full pass ends at a short or empty page, or when the cursor passes the reported total; from then on every
/// session is an incremental pass over the dossiers modified since the day the previous pass began, paged from 1.
/// </para>
/// </remarks>
[GrainType("wealthxpull")]
public sealed partial class WealthXPullGrain(
    [PersistentState("wealthx-pull", StorageNames.GrainState)] IPersistentState<WealthXPullState> state,
    WealthXFeeds feeds,
    TimeProvider time,
    ILogger<WealthXPullGrain> logger) : Grain, IWealthXPullGrain
{
    private string Feed => this.GetPrimaryKeyString() is var key && key.StartsWith("wealthx:", StringComparison.Ordinal) ? key["wealthx:".Length..] : key;

    private WealthXFeedSettings Settings => feeds.Get(Feed) ?? throw WealthXFeedNotFoundException.For(Feed);

    private WealthXPullState S => state.State;

    public async Task<WealthXSessionPlan> PlanSession(Guid runId, int? maxBatches)
    {
        var settings = Settings;
        var now = time.GetUtcNow();
        if (!S.Complete && S.TotalDossiers is { } total && S.NextIndex > total)
        {
            // The last page ended exactly at the total and nobody asked past it: the full pass is done.
            MarkComplete(now);
        }

        var mode = S.Complete ? WealthXPassMode.Incremental : WealthXPassMode.Full;
        if (mode == WealthXPassMode.Incremental && S.IncrementalTotal is { } changed && S.IncrementalNextIndex > changed)
        {
            EndIncrementalPass();
        }

        var start = mode == WealthXPassMode.Full ? S.NextIndex : S.IncrementalNextIndex;
        var known = mode == WealthXPassMode.Full ? S.TotalDossiers : S.IncrementalTotal;
        var since = mode == WealthXPassMode.Incremental ? S.IncrementalSince : null;
        var last = start + (long)settings.Pull.SessionSize - 1;
        if (known is { } knownTotal)
        {
            last = Math.Min(last, knownTotal);
        }

        var pages = new List<string>();
        for (long from = start; from <= last && (maxBatches is null || pages.Count < maxBatches); from += settings.ApiBatchSize)
        {
            var to = Math.Min(from + settings.ApiBatchSize - 1, last);
            pages.Add(string.Create(CultureInfo.InvariantCulture, $"{from}-{to}"));
        }

        if (mode == WealthXPassMode.Full)
        {
            S.PullStartedAt ??= now;
        }
        else if (S.IncrementalNextIndex == 1)
        {
            S.IncrementalPassStartedAt = now;
        }

        // The job grain plans only when no run is under way, so a session still open here never finished (its run
        // was not created, or its end was never reported): the new one replaces it.
        S.Session = new WealthXSessionInfo(runId, mode, since, now, start, pages.Count, 0, 0, 0, 0, 0, RunStatus.Running.ToText(), null, null);
        S.Ahead.Clear();
        S.PassEndedBy = null;
        await state.WriteStateAsync();
        LogPlanned(logger, Feed, runId, mode, start, pages.Count, since);
        return new WealthXSessionPlan(mode, since, start, pages);
    }

    public Task<WealthXPageOrder> OrderPage(Guid runId, int fromIndex, int toIndex)
    {
        _ = Settings;
        if (S.Session is not { } session || session.RunId != runId)
        {
            return Skip(WealthXPassMode.Full, null, "the session is no longer the feed's current one (the pull was reset, or a newer session began)", endOfData: true);
        }

        if (S.PassEndedBy == runId)
        {
            // A batch of this session runs again after its pass ended (the silo died before the run closed).
            return Skip(session.Mode, session.Since, fromIndex < S.PassEndedAt
                ? $"indexes {fromIndex}-{toIndex} are stored already"
                : $"the pass ended at index {S.PassEndedAt}", endOfData: true);
        }

        var (next, total) = session.Mode == WealthXPassMode.Full ? (S.NextIndex, S.TotalDossiers) : (S.IncrementalNextIndex, S.IncrementalTotal);
        if (toIndex < next || S.Ahead.ContainsKey(fromIndex))
        {
            return Skip(session.Mode, session.Since, $"indexes {fromIndex}-{toIndex} are stored already", endOfData: false);
        }

        if (total is { } known && fromIndex > known)
        {
            return Skip(session.Mode, session.Since, $"index {fromIndex} lies past the {known} dossiers WealthX reported", endOfData: true);
        }

        var to = total is { } limit ? Math.Min(toIndex, Math.Max(limit, fromIndex)) : toIndex;
        return Task.FromResult(new WealthXPageOrder(false, session.Mode, fromIndex, to, session.Since, null));

        Task<WealthXPageOrder> Skip(string mode, DateOnly? since, string reason, bool endOfData) =>
            Task.FromResult(new WealthXPageOrder(true, mode, fromIndex, toIndex, since, reason, endOfData));
    }

    public async Task<WealthXCheckpoint> CommitPage(WealthXPageCommit commit)
    {
        _ = Settings;
        var requested = commit.ToIndex - commit.FromIndex + 1;
        var endOfData = commit.Records < requested || commit.FromIndex + (long)commit.Records - 1 >= commit.TotalDossiers;
        var current = S.Session is { } session && session.RunId == commit.RunId && S.PassEndedBy != commit.RunId;
        var sameCursor = S.Complete
            ? commit.Mode == WealthXPassMode.Incremental && commit.Since == S.IncrementalSince
            : commit.Mode == WealthXPassMode.Full;
        if (!current || !sameCursor)
        {
            // A page of a session that was reset or replaced, or whose pass already ended: its rows are stored
            // (harmless, the upsert is idempotent), the cursor stays.
            LogStalePage(logger, Feed, commit.RunId, commit.FromIndex, commit.ToIndex);
            return S.PassEndedBy == commit.RunId
                ? new WealthXCheckpoint(S.PassEndedAt, true, S.Complete, S.RecordsProcessed)
                : new WealthXCheckpoint(S.Complete ? S.IncrementalNextIndex : S.NextIndex, endOfData, S.Complete, S.RecordsProcessed);
        }

        var full = commit.Mode == WealthXPassMode.Full;
        var next = full ? S.NextIndex : S.IncrementalNextIndex;
        var counted = commit.FromIndex >= next && !S.Ahead.ContainsKey(commit.FromIndex);
        if (full)
        {
            S.TotalDossiers = commit.TotalDossiers;
        }
        else
        {
            S.IncrementalTotal = commit.TotalDossiers;
        }

        if (counted)
        {
            S.Ahead[commit.FromIndex] = new StoredAhead(commit.Records, requested, commit.TotalDossiers);
            var s = S.Session!;
            S.Session = s with
            {
                PagesStored = s.PagesStored + 1,
                Records = s.Records + commit.Records,
                Inserted = s.Inserted + commit.Inserted,
                Updated = s.Updated + commit.Updated,
                Unchanged = s.Unchanged + commit.Unchanged,
            };
        }

        var ended = false;
        while (S.Ahead.Remove(next, out var page))
        {
            next += page.Records;
            if (full)
            {
                S.RecordsProcessed += page.Records;
            }
            else
            {
                S.IncrementalRecords += page.Records;
            }

            if (page.Records < page.Requested || next > page.TotalDossiers)
            {
                ended = true;
                break;
            }
        }

        if (full)
        {
            S.NextIndex = next;
        }
        else
        {
            S.IncrementalNextIndex = next;
        }

        if (ended)
        {
            S.PassEndedBy = commit.RunId;
            S.PassEndedAt = next;
            if (full)
            {
                MarkComplete(time.GetUtcNow());
            }
            else
            {
                EndIncrementalPass();
            }
        }

        await state.WriteStateAsync();
        // The index this page's pass reached, even when the pass just ended and the next one starts over at 1.
        return new WealthXCheckpoint(next, endOfData || ended, S.Complete, S.RecordsProcessed);
    }

    public async Task SessionFinished(Guid runId, RunStatus status, string? error)
    {
        if (S.Session is not { } session || session.RunId != runId)
        {
            return;
        }

        var now = time.GetUtcNow();
        // The session is part of the pull's state, a database edge: its status is stored as its text.
        var done = session with { Status = status.ToText(), FinishedAt = now, Error = error };
        if (status is RunStatus.Succeeded or RunStatus.PartiallySucceeded)
        {
            S.SessionsDone++;
        }

        if (error is not null)
        {
            S.LastError = error;
            S.LastErrorAt = now;
        }

        S.LastSession = done;
        S.Session = null;
        S.Ahead.Clear();
        await state.WriteStateAsync();
        LogSessionFinished(logger, Feed, runId, done.Status, done.PagesStored, done.Records, S.Complete ? S.IncrementalNextIndex : S.NextIndex);
    }

    public Task<WealthXPullProgress> GetProgress() => Task.FromResult(Progress());

    public async Task<WealthXPullProgress> Reset(Guid? runningRunId)
    {
        _ = Settings;
        if (runningRunId is { } running)
        {
            throw new WealthXSessionRunningException(
                $"Session {running} of feed '{Feed}' is running; wait for it to end (GET /api/wealthx/{Feed}/status) and reset then.");
        }

        var sessionsBefore = S.SessionsDone;
        state.State = new WealthXPullState { ResetAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        LogReset(logger, Feed, sessionsBefore);
        return Progress();
    }

    private void MarkComplete(DateTimeOffset now)
    {
        S.Complete = true;
        S.CompletedAt = now;
        // Changes made while the full pass ran are caught by the first incremental pass: since the day it began.
        S.IncrementalSince = DateOnly.FromDateTime((S.PullStartedAt ?? now).UtcDateTime);
        S.IncrementalNextIndex = 1;
        S.IncrementalTotal = null;
        S.Ahead.Clear();
        LogComplete(logger, Feed, S.RecordsProcessed, S.TotalDossiers);
    }

    private void EndIncrementalPass()
    {
        S.IncrementalSince = DateOnly.FromDateTime((S.IncrementalPassStartedAt ?? time.GetUtcNow()).UtcDateTime);
        S.IncrementalNextIndex = 1;
        S.IncrementalTotal = null;
        S.Ahead.Clear();
    }

    private WealthXPullProgress Progress()
    {
        var settings = Settings;
        return new WealthXPullProgress(
            Feed, S.NextIndex, S.TotalDossiers, S.RecordsProcessed, S.Complete, S.CompletedAt, S.PullStartedAt,
            S.IncrementalSince, S.IncrementalNextIndex, S.IncrementalTotal, S.IncrementalRecords, S.SessionsDone,
            S.Session, S.LastSession, S.LastError, S.LastErrorAt, S.ResetAt,
            new WealthXPullSettings(settings.ApiBatchSize, settings.Pull.SessionSize, settings.Pull.MinCallInterval, settings.Pull.Schedule, settings.Pull.TimeZone,
                settings.Pull.TargetDays));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WealthX {Feed}: session {RunId} planned, {Mode} pass from index {Start}, {Pages} page(s), modified since {Since}")]
    private static partial void LogPlanned(ILogger logger, string feed, Guid runId, string mode, int start, int pages, DateOnly? since);

    [LoggerMessage(Level = LogLevel.Information, Message = "WealthX {Feed}: session {RunId} ended {Status}: {Pages} page(s), {Records} record(s); next index {Next}")]
    private static partial void LogSessionFinished(ILogger logger, string feed, Guid runId, string status, int pages, long records, int next);

    [LoggerMessage(Level = LogLevel.Information, Message = "WealthX {Feed}: full pass complete, {Records} record(s) of {Total}; later sessions run incremental passes")]
    private static partial void LogComplete(ILogger logger, string feed, long records, int? total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WealthX {Feed}: pull reset to index 1 after {Sessions} session(s); stored dossiers kept")]
    private static partial void LogReset(ILogger logger, string feed, int sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "WealthX {Feed}: page {From}-{To} of run {RunId} is no longer the current session's; stored, cursor unchanged")]
    private static partial void LogStalePage(ILogger logger, string feed, Guid runId, int from, int to);
}
