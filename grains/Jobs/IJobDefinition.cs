using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// What a domain tells the job runtime about one of its jobs: the work items of a run and how to process
/// a batch of them. The runtime owns everything else: single-flight, batching, parallelism, retries,
/// circuit breaking, dead letters, checkpoints, events.
/// </summary>
/// <remarks>
/// <see cref="ExecuteBatchAsync"/> must commit its data with idempotent upserts before it returns: the
/// runtime checkpoints the batch afterwards, so a crash in between re-runs the batch and rewrites the same rows.
/// </remarks>
public interface IJobDefinition
{
    /// <summary>Unique job name, e.g. <c>fetch_market_data</c>.</summary>
    string Name { get; }

    /// <summary>Plural noun of the items, PascalCase, for event data: <c>Assets</c> gives <c>totalAssets</c>.</summary>
    string ItemsName { get; }

    /// <summary>Defaults; configuration (<c>Jobs:{Name}:*</c>) overrides them.</summary>
    JobSettings Defaults { get; }

    /// <summary>The ordered work items (ids) of a run. Called once per run; the list is stored with the run.</summary>
    Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken);

    /// <summary>Processes and commits one batch. Throw <see cref="PermanentBatchException"/> for bad data (no retry).</summary>
    Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken);

    /// <summary>
    /// Told once when a run reached its final status (also when a resumed run is found already finished), after the
    /// job is free for its next run. Cursor jobs close their session here. Failures are logged, never retried.
    /// </summary>
    Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// When true, the run's completion event carries <c>counts</c>: each numeric field of the batches' <see cref="BatchResult.Details"/>
    /// summed over the run's committed batches (the retention job's rows deleted per table).
    /// </summary>
    bool ReportsCounts => false;

    /// <summary>
    /// The settings one run goes by: the configured ones (<c>Jobs:{Name}:*</c>), changed by what the run asked for
    /// (an import's <c>max_workers</c> is its <see cref="JobSettings.MaxParallelBatches"/>). Called when the run is
    /// created and each time its loop starts or resumes, so it must depend on the request alone. Return a clone to change.
    /// </summary>
    JobSettings SettingsFor(JobSettings configured, RunRequest request) => configured;
}

/// <summary>How a run ended, for <see cref="IJobDefinition.RunFinishedAsync"/>.</summary>
/// <param name="Error">Why it did not succeed; null when it did.</param>
/// <param name="Run">The run as stored when it ended (its trigger, parameters and items), read once for the hook; null if its row is gone.</param>
public sealed record JobRunOutcome(Guid RunId, string Job, RunStatus Status, string? Error, int ItemsProcessed, JobRunRecord? Run);

/// <summary>Input to <see cref="IJobDefinition.PlanAsync"/>.</summary>
public sealed record JobPlanContext(Guid RunId, string Job, RunRequest Request)
{
    /// <summary>The run key the run keeps single-flight for (an import's connection); null for the job's default.</summary>
    public string? RunKey { get; init; }
}

/// <summary>One batch of a run.</summary>
/// <param name="Attempt">1 for the first try.</param>
public sealed record JobBatchContext(Guid RunId, string Job, int BatchIndex, int Attempt, IReadOnlyList<string> Items, RunRequest Request)
{
    /// <summary>
    /// Tells the job's rate limiter that the batch's call to its upstream has ended (the reply is read), so a limiter
    /// that spaces calls from end to start counts from now rather than from when the batch also stored its data.
    /// Optional: the runtime reports the end of every attempt anyway. Only the first report of an attempt counts.
    /// </summary>
    public Func<Task> UpstreamCallEnded { get; init; } = () => Task.CompletedTask;

    /// <summary>The runtime's way of waiting out an outage of our database; see <see cref="StoreAsync{T}"/>.</summary>
    public DatabaseOutage? Database { get; init; }

    /// <summary>
    /// Writes what the batch fetched, waiting for our database if it is unreachable: call it around the store (and the
    /// checkpoint) after the upstream call, so an outage costs a wait, not a second fetch of the same page.
    /// </summary>
    public Task<T> StoreAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        Database is { } database
            ? database.RideOutAsync($"storing batch {BatchIndex} of run {RunId}", write, cancellationToken)
            : write(cancellationToken);
}

/// <summary>What a batch did.</summary>
/// <param name="ItemsProcessed">Items committed (rows upserted, holdings computed, ...).</param>
/// <param name="EndOfData">
/// The upstream has no data past this batch (a cursor job read its last page): no further batch of the plan is
/// started; batches already under way finish. The run still succeeds.
/// </param>
/// <param name="Details">Job-specific facts about the batch (a page's index range, rows inserted), sent in its progress event.</param>
public sealed record BatchResult(int ItemsProcessed, bool EndOfData = false, System.Text.Json.Nodes.JsonObject? Details = null);

/// <summary>A batch failure that retrying cannot fix (bad data, 400 from upstream): dead-lettered at once.</summary>
public sealed class PermanentBatchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How the runtime runs a job. Section <c>Jobs:{name}</c>.</summary>
public sealed class JobSettings
{
    public int BatchSize { get; set; } = 100;

    /// <summary>Grow the batch while batches are fast and clean, shrink on timeouts and 429s, within [Min, Max].</summary>
    public bool DynamicBatchSizing { get; set; }

    public int MinBatchSize { get; set; } = 10;
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>Batches of one run processed at once.</summary>
    public int MaxParallelBatches { get; set; } = 2;

    /// <summary>Tries per batch before it is dead-lettered (1 = no retry).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles per attempt, with jitter unless <see cref="RetryJitter"/> is off.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Spread retries randomly around the doubling delays (on by default, so a crowd of failing batches does not retry
    /// in step); off gives exactly <see cref="RetryBaseDelay"/>, x2, x4, ... as a job's contract may require.
    /// </summary>
    public bool RetryJitter { get; set; } = true;

    /// <summary>The upstream a batch calls (circuit breaker and rate limiter key), or null for database-only jobs.</summary>
    public string? Upstream { get; set; }

    /// <summary>
    /// Which credential of <see cref="Upstream"/> the job calls with: jobs sharing one share its rate limiter
    /// (<c>RateLimitKey.For(Upstream, UpstreamCredential)</c>).
    /// </summary>
    public string UpstreamCredential { get; set; } = "default";

    /// <summary>
    /// For cursor jobs, whose batches must commit in order (a page that cannot be read must not be skipped): a
    /// dead-lettered batch stops the run, no later batch starts, and the run fails with that batch's reason.
    /// </summary>
    public bool StopOnDeadLetter { get; set; }

    public JobSettings Clone() => (JobSettings)MemberwiseClone();

    /// <summary>Every problem, each a sentence naming <c>Jobs:{job}:{Setting}</c>.</summary>
    public IReadOnlyList<string> Validate(string job)
    {
        var at = $"Jobs:{job}";
        var problems = new List<string>();
        if (MinBatchSize < 1 || MaxBatchSize < MinBatchSize)
        {
            problems.Add($"{at}:MinBatchSize..MaxBatchSize must be a range of at least 1, was {MinBatchSize}..{MaxBatchSize}.");
        }

        if (BatchSize < 1 || BatchSize > 100_000)
        {
            problems.Add($"{at}:BatchSize must be 1..100000, was {BatchSize}.");
        }

        if (MaxParallelBatches is < 1 or > 64)
        {
            problems.Add($"{at}:MaxParallelBatches must be 1..64, was {MaxParallelBatches}.");
        }

        if (MaxAttempts is < 1 or > 20)
        {
            problems.Add($"{at}:MaxAttempts must be 1..20, was {MaxAttempts}.");
        }

        if (string.IsNullOrWhiteSpace(UpstreamCredential))
        {
            problems.Add($"{at}:UpstreamCredential must not be empty; leave it out for 'default'.");
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add($"{at}:RetryBaseDelay must not be negative, was {RetryBaseDelay}.");
        }

        return problems;
    }
}
