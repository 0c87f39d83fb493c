namespace Tributary.WealthX;

/// <summary>Durable state of a <see cref="WealthXPullGrain"/>: the feed's cursors, counters and the session under way.</summary>
[GenerateSerializer, Alias("Tributary.WealthX.WealthXPullState")]
public sealed class WealthXPullState
{
    /// <summary>The full pass's cursor: the first index not yet stored (1-based).</summary>
    [Id(0)] public int NextIndex { get; set; } = 1;
    [Id(1)] public int? TotalDossiers { get; set; }
    [Id(2)] public long RecordsProcessed { get; set; }
    [Id(3)] public bool Complete { get; set; }
    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the first session of the full pass began: the first incremental pass asks for changes since that day.</summary>
    [Id(5)] public DateTimeOffset? PullStartedAt { get; set; }

    [Id(6)] public DateOnly? IncrementalSince { get; set; }
    [Id(7)] public int IncrementalNextIndex { get; set; } = 1;
    [Id(8)] public int? IncrementalTotal { get; set; }
    [Id(9)] public long IncrementalRecords { get; set; }

    /// <summary>When the incremental pass under way began (its end makes that day the next pass's <see cref="IncrementalSince"/>).</summary>
    [Id(10)] public DateTimeOffset? IncrementalPassStartedAt { get; set; }

    [Id(11)] public int SessionsDone { get; set; }
    [Id(12)] public WealthXSessionInfo? Session { get; set; }
    [Id(13)] public WealthXSessionInfo? LastSession { get; set; }
    [Id(14)] public string? LastError { get; set; }
    [Id(15)] public DateTimeOffset? LastErrorAt { get; set; }
    [Id(16)] public DateTimeOffset? ResetAt { get; set; }

    /// <summary>
    /// Pages stored ahead of the cursor (a page may be stored before the one before it, when fetches overlap), by
    /// their first index: records returned and records asked for. The cursor moves over them once the gap closes.
    /// </summary>
    [Id(17)] public Dictionary<int, StoredAhead> Ahead { get; set; } = [];

    /// <summary>
    /// The session whose page ended its pass, and the index that pass reached: a re-run of that session's batches
    /// (after a crash) must neither fetch again nor count again, although the next pass's cursor is back at 1.
    /// </summary>
    [Id(18)] public Guid? PassEndedBy { get; set; }
    [Id(19)] public int PassEndedAt { get; set; }
}

/// <summary>A page stored ahead of the cursor.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.StoredAhead")]
public sealed record StoredAhead([property: Id(0)] int Records, [property: Id(1)] int Requested, [property: Id(2)] int TotalDossiers);
