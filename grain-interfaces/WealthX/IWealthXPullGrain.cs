using Orleans.Concurrency;
using Tributary.Storage.Jobs;

namespace Tributary.WealthX;

/// <summary>
/// The single writer of one WealthX feed's pull (key <see cref="WealthXFeed.GrainKey"/>): where the next session
/// starts (1-based index), what the API reported as the total, how many records and sessions are done, and the
/// session under way. Sessions themselves are runs of the job <see cref="WealthXFeed.JobName"/> on the job runtime,
/// which owns scheduling, the shared rate limiter, retries and events; this grain plans each session's pages and
/// moves its cursor only after a page is stored.
/// </summary>
/// <remarks>
/// This grain never calls the job's grain or its schedule's grain (they call it), so no call cycle can deadlock.
/// </remarks>
[Alias("Tributary.WealthX.IWealthXPullGrain")]
public interface IWealthXPullGrain : IGrainWithStringKey
{
    /// <summary>The pages of a new session (run <paramref name="runId"/>): a full pass from the cursor, or an incremental pass once complete.</summary>
    /// <param name="maxBatches">At most this many pages (calls), when given.</param>
    [Alias("PlanSession")]
    Task<WealthXSessionPlan> PlanSession(Guid runId, int? maxBatches);

    /// <summary>What to ask WealthX for the planned page <paramref name="fromIndex"/>..<paramref name="toIndex"/>, now that earlier pages may have reported the total.</summary>
    [Alias("OrderPage")]
    Task<WealthXPageOrder> OrderPage(Guid runId, int fromIndex, int toIndex);

    /// <summary>A page is stored: move the cursor over every contiguous stored page (the checkpoint).</summary>
    [Alias("CommitPage")]
    Task<WealthXCheckpoint> CommitPage(WealthXPageCommit commit);

    /// <summary>The session's run ended (idempotent: a second call for the same run changes nothing).</summary>
    [Alias("SessionFinished")]
    Task SessionFinished(Guid runId, RunStatus status, string? error);

    /// <summary>The pull's state and effective options.</summary>
    [ReadOnly]
    [Alias("GetProgress")]
    Task<WealthXPullProgress> GetProgress();

    /// <summary>
    /// Starts the pull over from index 1 (the stored dossiers stay). <paramref name="runningRunId"/> is the feed job's
    /// current run as its grain reports it: a reset while a session runs is refused.
    /// </summary>
    /// <exception cref="WealthXSessionRunningException">A session is under way.</exception>
    [Alias("Reset")]
    Task<WealthXPullProgress> Reset(Guid? runningRunId);
}

/// <summary>Names and keys of a feed.</summary>
public static class WealthXFeed
{
    /// <summary>The feed configured by the <c>WealthX</c> section.</summary>
    public const string Default = "default";

    /// <summary>Grain key of a feed's <see cref="IWealthXPullGrain"/> (never the raw name: short keys collide in AdoNet storage).</summary>
    public static string GrainKey(string feed) => "wealthx:" + feed;

    /// <summary>The job whose runs are the feed's sessions, e.g. <c>wealthx_default</c>; its schedule is the feed's.</summary>
    public static string JobName(string feed) => "wealthx_" + feed;

    /// <summary>Feed names: 1..40 of a-z, 0-9, '_' and '-'.</summary>
    public static bool IsValidName(string? feed) =>
        feed is { Length: >= 1 and <= 40 } && feed.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}

/// <summary>Pass kinds.</summary>
public static class WealthXPassMode
{
    /// <summary>Every dossier, from the cursor to the reported total.</summary>
    public const string Full = "full";

    /// <summary>After a full pass: only dossiers modified since the last pass began (<c>lastModifiedFrom</c>).</summary>
    public const string Incremental = "incremental";
}

/// <summary>A session's pages.</summary>
/// <param name="Pages">Page ranges as <c>from-to</c> (1-based, inclusive), in order.</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXSessionPlan")]
public sealed record WealthXSessionPlan(
    [property: Id(0)] string Mode,
    [property: Id(1)] DateOnly? Since,
    [property: Id(2)] int StartIndex,
    [property: Id(3)] IReadOnlyList<string> Pages);

/// <summary>The call for one page, or why none is needed.</summary>
/// <param name="Skip">No call: the page lies past the reported total, was stored already, or belongs to a session that was reset.</param>
/// <param name="EndOfData">With <paramref name="Skip"/>: no later page of the session is needed either (past the total, the pass ended, the session was replaced).</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXPageOrder")]
public sealed record WealthXPageOrder(
    [property: Id(0)] bool Skip,
    [property: Id(1)] string Mode,
    [property: Id(2)] int FromIndex,
    [property: Id(3)] int ToIndex,
    [property: Id(4)] DateOnly? Since,
    [property: Id(5)] string? SkipReason,
    [property: Id(6)] bool EndOfData = false);

/// <summary>A stored page.</summary>
/// <param name="Records">Dossiers the API returned for the range (fewer than asked for at the end of the data).</param>
/// <param name="TotalDossiers">The API's <c>totalDossiers</c> in that reply.</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXPageCommit")]
public sealed record WealthXPageCommit(
    [property: Id(0)] Guid RunId,
    [property: Id(1)] string Mode,
    [property: Id(2)] DateOnly? Since,
    [property: Id(3)] int FromIndex,
    [property: Id(4)] int ToIndex,
    [property: Id(5)] int Records,
    [property: Id(6)] int TotalDossiers,
    [property: Id(7)] int Inserted,
    [property: Id(8)] int Updated,
    [property: Id(9)] int Unchanged);

/// <summary>The cursor after a commit.</summary>
/// <param name="EndOfData">This page reached the end of the data (short or empty page, or the total): no later page of the session is needed.</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXCheckpoint")]
public sealed record WealthXCheckpoint(
    [property: Id(0)] int NextIndex,
    [property: Id(1)] bool EndOfData,
    [property: Id(2)] bool Complete,
    [property: Id(3)] long RecordsProcessed);

/// <summary>The session under way or the last one.</summary>
/// <param name="Status">
/// The session's run status as its text: <c>running</c>, then how it ended (<c>succeeded</c>, <c>partially_succeeded</c>,
/// <c>failed</c>). Text, not <see cref="RunStatus"/>, because sessions are kept in the pull's stored state, whose rows hold text.
/// </param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXSessionInfo")]
public sealed record WealthXSessionInfo(
    [property: Id(0)] Guid RunId,
    [property: Id(1)] string Mode,
    [property: Id(2)] DateOnly? Since,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] int StartIndex,
    [property: Id(5)] int PagesPlanned,
    [property: Id(6)] int PagesStored,
    [property: Id(7)] long Records,
    [property: Id(8)] long Inserted,
    [property: Id(9)] long Updated,
    [property: Id(10)] long Unchanged,
    [property: Id(11)] string? Status,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] string? Error);

/// <summary>The options a feed runs with (credentials never leave the silo).</summary>
/// <param name="TargetDays">The days the full pass is meant to take (<c>WealthX:TargetDays</c>, the seed's 10): the projection's safety buffer is measured against it.</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXPullSettings")]
public sealed record WealthXPullSettings(
    [property: Id(0)] int ApiBatchSize,
    [property: Id(1)] int SessionSize,
    [property: Id(2)] TimeSpan MinCallInterval,
    [property: Id(3)] string Schedule,
    [property: Id(4)] string TimeZone,
    [property: Id(5)] int TargetDays = WealthXPullSettings.DefaultTargetDays)
{
    /// <summary>The seed's target: 420,000 dossiers in ten days.</summary>
    public const int DefaultTargetDays = 10;
}

/// <summary>A feed's pull as its grain knows it.</summary>
/// <param name="NextIndex">Where the full pass goes on (1-based).</param>
/// <param name="TotalDossiers">The API's last reported total, null before the first page.</param>
/// <param name="RecordsProcessed">Records the full pass stored (each index once).</param>
/// <param name="Complete">The full pass reached the end; sessions now run incremental passes.</param>
/// <param name="IncrementalSince">The <c>lastModifiedFrom</c> of the next incremental pass.</param>
/// <param name="IncrementalNextIndex">Where the incremental pass goes on.</param>
/// <param name="SessionsDone">Sessions that ended succeeded or partially succeeded since the pull began (or was reset).</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXPullProgress")]
public sealed record WealthXPullProgress(
    [property: Id(0)] string Feed,
    [property: Id(1)] int NextIndex,
    [property: Id(2)] int? TotalDossiers,
    [property: Id(3)] long RecordsProcessed,
    [property: Id(4)] bool Complete,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] DateTimeOffset? PullStartedAt,
    [property: Id(7)] DateOnly? IncrementalSince,
    [property: Id(8)] int IncrementalNextIndex,
    [property: Id(9)] int? IncrementalTotal,
    [property: Id(10)] long IncrementalRecords,
    [property: Id(11)] int SessionsDone,
    [property: Id(12)] WealthXSessionInfo? CurrentSession,
    [property: Id(13)] WealthXSessionInfo? LastSession,
    [property: Id(14)] string? LastError,
    [property: Id(15)] DateTimeOffset? LastErrorAt,
    [property: Id(16)] DateTimeOffset? ResetAt,
    [property: Id(17)] WealthXPullSettings Settings);

/// <summary>A reset was asked for while a session runs.</summary>
[GenerateSerializer, Alias("Tributary.WealthX.WealthXSessionRunningException")]
public sealed class WealthXSessionRunningException : Exception
{
    public WealthXSessionRunningException()
    {
    }

    public WealthXSessionRunningException(string message) : base(message)
    {
    }

    public WealthXSessionRunningException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>No feed of that name is configured on the cluster (the API's 404).</summary>
[GenerateSerializer, Alias("Tributary.WealthX.WealthXFeedNotFoundException")]
public sealed class WealthXFeedNotFoundException : Exception
{
    public WealthXFeedNotFoundException()
    {
    }

    public WealthXFeedNotFoundException(string message) : base(message)
    {
    }

    public WealthXFeedNotFoundException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>For <paramref name="feed"/>, naming the setting that configures a feed.</summary>
    public static WealthXFeedNotFoundException For(string feed) =>
        new($"There is no WealthX feed named '{feed}'. The feed '{WealthXFeed.Default}' is configured by the WealthX section (WealthX:BaseUrl, WealthX:Username, WealthX:Password), any other by WealthX:Feeds:{{name}} (its own Username and Password).");
}
