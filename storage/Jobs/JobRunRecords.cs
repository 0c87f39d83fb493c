namespace Tributary.Storage.Jobs;

/// <summary>A run as stored in <c>job_runs</c>.</summary>
public sealed record JobRunRecord(
    Guid RunId,
    string Job,
    RunTrigger Trigger,
    RunStatus Status,
    string? AccountId,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset? ScheduledFor,
    long? ReplayOf,
    IReadOnlyList<string> Items,
    int BatchSize,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int TotalBatches,
    int FailedBatches,
    int ItemsProcessed,
    string? Error,
    string? RunKey = null);

/// <summary>A batch as stored in <c>job_run_batches</c>: the slice of the run's items and how it went.</summary>
public sealed record JobBatchRecord(
    Guid RunId,
    int BatchIndex,
    int ItemOffset,
    int ItemCount,
    string Status,
    int ItemsProcessed,
    int Attempts,
    int? DurationMs,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Details = null)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string DeadLettered = "dead_lettered";

    public int End => ItemOffset + ItemCount;

    /// <summary>Each numeric field of the committed batches' details, summed (a run's <c>counts</c>), keys in ordinal order.</summary>
    public static System.Text.Json.Nodes.JsonObject SumCounts(IEnumerable<JobBatchRecord> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var details in batches.Where(b => b.Status == Succeeded && b.Details is not null).Select(b => System.Text.Json.Nodes.JsonNode.Parse(b.Details!)))
        {
            foreach (var (key, value) in details!.AsObject())
            {
                if (value is System.Text.Json.Nodes.JsonValue number && number.TryGetValue<long>(out var count))
                {
                    sums[key] = sums.GetValueOrDefault(key) + count;
                }
            }
        }

        var counts = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, sum) in sums)
        {
            counts[key] = sum;
        }

        return counts;
    }
}

/// <summary>One UTC day of a job's work: the items its succeeded batches processed that day, in how many runs.</summary>
public sealed record JobDayRecord(DateOnly Day, long Items, int Runs);

/// <summary>A dead-lettered batch, replayable as a new run.</summary>
public sealed record DeadLetterRecord(
    long DeadLetterId,
    string Job,
    Guid RunId,
    int BatchIndex,
    IReadOnlyList<string> Items,
    string? AccountId,
    IReadOnlyDictionary<string, string> Parameters,
    string Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReplayedAt,
    Guid? ReplayRunId);

/// <summary>What a new run starts with.</summary>
public sealed record NewRun(
    Guid RunId,
    string Job,
    RunTrigger Trigger,
    string? AccountId,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset? ScheduledFor,
    long? ReplayOf,
    IReadOnlyList<string> Items,
    int BatchSize,
    string? RunKey = null,
    string? IdempotencyKey = null);
