using Orleans.Concurrency;

namespace Tributary.Analysis;

/// <summary>
/// One analysis task (key: its task id): the single writer of its request (the data, never a credential), its
/// sections' results and its status. Its sections are processed by the job <see cref="AnalysisKeys.JobName"/> with the
/// task id as run key, so tasks run side by side, each resumable on another silo.
/// </summary>
/// <remarks>
/// The section and finish calls interleave: each is one idempotent statement on the task's rows (the grain keeps no state in
/// memory), so a task's sections report side by side, and the run's end can reach the task while the task waits on the run
/// (a restart's <see cref="EnsureStarted"/> that finds the run ended tells the task inside that very call: not interleaving,
/// the two waited on each other until the call timed out).
/// </remarks>
[Alias("Tributary.Analysis.IAnalysisTaskGrain")]
public interface IAnalysisTaskGrain : IGrainWithGuidKey
{
    /// <summary>Creates the task, pending in the queue until a silo's workers take it; a task that exists already is answered as it stands.</summary>
    [Alias("Submit")]
    Task<TaskSubmitted> Submit(TaskSubmission submission);

    /// <summary>Starts the task's run again if a silo took it off the queue, it is not finished and no run drives it (that silo died); idempotent.</summary>
    [Alias("EnsureStarted")]
    Task EnsureStarted();

    /// <summary>An attempt at a section begins; false when the section is completed already (nothing to do).</summary>
    [Alias("StartSection"), AlwaysInterleave]
    Task<bool> StartSection(string section);

    /// <summary>A section's analysis (JSON); a section completed before keeps its first result.</summary>
    [Alias("CompleteSection"), AlwaysInterleave]
    Task CompleteSection(string section, string resultJson);

    /// <summary>Why an attempt at a section failed; <paramref name="final"/> when no attempt is left.</summary>
    [Alias("FailSection"), AlwaysInterleave]
    Task FailSection(string section, string error, bool final);

    /// <summary>The run ended: unfinished sections fail with their reason, the status follows, the token is dropped.</summary>
    [Alias("Finish"), AlwaysInterleave]
    Task<string> Finish(string reason);
}

/// <summary>A submit: the caller's user, the portfolio items (JSON array text) and, for the platform, its login.</summary>
/// <remarks>The password travels in this message only: it is exchanged for a token and never stored or logged.</remarks>
/// <param name="New">
/// The task id was made for this request's first attempt (no Idempotency-Key, not a retry): no task can have it, so the
/// submit does not look for one first. False is always safe.
/// </param>
[GenerateSerializer, Immutable, Alias("Tributary.Analysis.TaskSubmission")]
public sealed record TaskSubmission(
    [property: Id(0)] string Owner,
    [property: Id(1)] string Data,
    [property: Id(2)] string? Username,
    [property: Id(3)] string? Password,
    [property: Id(4)] bool New = false)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"TaskSubmission {{ Owner = {Owner}, Username = {Username}, Data = {Data.Length} chars }}";
}

/// <summary>How a submit went.</summary>
/// <param name="Created">False when the task existed already (a retried submit).</param>
/// <param name="Owner">Who the task belongs to.</param>
/// <param name="Invalid">Why the request cannot become a task (the field, then the reason), e.g. no section found.</param>
/// <param name="Unauthorized">The platform refused the login: the platform's sentence, no credential.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Analysis.TaskSubmitted")]
public sealed record TaskSubmitted(
    [property: Id(0)] Guid TaskId,
    [property: Id(1)] string Status,
    [property: Id(2)] bool Created,
    [property: Id(3)] string Owner,
    [property: Id(4)] string? InvalidField = null,
    [property: Id(5)] string? Invalid = null,
    [property: Id(6)] string? Unauthorized = null);

/// <summary>Names of the analysis domain shared by silos and gateway.</summary>
public static class AnalysisKeys
{
    /// <summary>The job that processes a task's sections; run key: the task id.</summary>
    public const string JobName = "analysis_task";

    /// <summary>The daily job that deletes tasks older than <c>Tasks:RetentionDays</c>.</summary>
    public const string RetentionJobName = "prune_analysis_tasks";

    /// <summary>The run parameter carrying how many sections the task has (its parallelism).</summary>
    public const string SectionsParameter = "sections";

    public static string RunKey(Guid taskId) => taskId.ToString("N");
}
