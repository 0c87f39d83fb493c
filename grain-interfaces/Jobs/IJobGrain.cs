using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// The single writer of one job's runs (key <see cref="JobKey.For"/>): starts runs, keeps one at a time,
/// and resumes an unfinished run from its checkpoint after the silo that ran it died.
/// </summary>
[Alias("Tributary.Jobs.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts a run, or returns the running run's id when one is already under way (single-flight).
    /// Returns at once: the run goes on beside the grain.
    /// </summary>
    [Alias("Trigger")]
    Task<RunTicket> Trigger(RunRequest request);

    /// <summary>Resumes the current run's loop if it is not running on this activation (heartbeats call this; idempotent).</summary>
    [Alias("EnsureRunning")]
    Task<RunTicket?> EnsureRunning();

    /// <summary>The current or last run's id and status.</summary>
    [Alias("GetSnapshot")]
    Task<JobSnapshot> GetSnapshot();
}

/// <summary>What starts a run.</summary>
/// <param name="Trigger">Who asked: an operator, a schedule's occurrence or a replay of dead letters.</param>
/// <param name="AccountId">Optional scope (FinTrack jobs: one account).</param>
/// <param name="Parameters">Job-specific options (e.g. <c>from</c>/<c>to</c> for history), already validated by the caller.</param>
/// <param name="ScheduledFor">For schedule triggers: the cron occurrence this run serves (makes duplicate ticks idempotent).</param>
/// <param name="DeadLetterIds">For replay triggers: the dead letters whose batches the run processes again.</param>
/// <param name="IdempotencyKey">
/// A caller's request id (the <c>Idempotency-Key</c> header): a trigger retried with the same key gets the run the first
/// attempt started, even when that run has ended since.
/// </param>
[GenerateSerializer, Immutable, Alias("Tributary.Jobs.RunRequest")]
public sealed record RunRequest(
    [property: Id(0)] RunTrigger Trigger,
    [property: Id(1)] string? AccountId = null,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Parameters = null,
    [property: Id(3)] DateTimeOffset? ScheduledFor = null,
    [property: Id(4)] string? IdempotencyKey = null,
    [property: Id(5)] IReadOnlyList<long>? DeadLetterIds = null);

/// <summary>The run a trigger started or joined.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Status">The run's status when the trigger returned.</param>
/// <param name="Started">False when the trigger joined a run already under way (or already served this occurrence).</param>
/// <param name="NotFound">
/// Why no run exists: the job is not registered on any silo (<see cref="UnknownJobException"/>'s sentence). A result,
/// not an exception: a name nobody knows is an answer, not a failure of the grain. Null for every real ticket.
/// </param>
[GenerateSerializer, Immutable, Alias("Tributary.Jobs.RunTicket")]
public sealed record RunTicket([property: Id(0)] Guid RunId, [property: Id(1)] bool Started, [property: Id(2)] RunStatus Status, [property: Id(3)] string? NotFound = null)
{
    /// <summary>The answer to a trigger of a job no silo has.</summary>
    public static RunTicket UnknownJob(string job) => new(Guid.Empty, false, RunStatus.Failed, new UnknownJobException(job).Message);
}

/// <summary>A job's current state as its grain knows it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Jobs.JobSnapshot")]
public sealed record JobSnapshot(
    [property: Id(0)] string Job,
    [property: Id(1)] Guid? CurrentRunId,
    [property: Id(2)] Guid? LastRunId,
    [property: Id(3)] RunStatus? LastStatus,
    [property: Id(4)] DateTimeOffset? LastFinishedAt);

/// <summary>
/// Grain keys for jobs: never the raw name (hex-like string keys collide in AdoNet storage). Single-flight is per job
/// and <em>run key</em>: <c>job:{job}</c> for the job's default key, <c>job:{job}#{runKey}</c> for runs that may go on
/// beside each other (one import per bank connection, one task per task id).
/// </summary>
public static class JobKey
{
    public const string Prefix = "job:";
    public const char RunKeySeparator = '#';

    public static string For(string job, string? runKey = null) =>
        runKey is null ? Prefix + job : $"{Prefix}{job}{RunKeySeparator}{runKey}";

    public static string NameOf(string key) => Split(key).Job;

    /// <summary>The run key of a job grain's key; null for the job's default.</summary>
    public static string? RunKeyOf(string key) => Split(key).RunKey;

    private static (string Job, string? RunKey) Split(string key)
    {
        var rest = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
        var separator = rest.IndexOf(RunKeySeparator, StringComparison.Ordinal);
        return separator < 0 ? (rest, null) : (rest[..separator], rest[(separator + 1)..]);
    }
}
