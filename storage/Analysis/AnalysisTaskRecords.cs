namespace Tributary.Storage.Analysis;

/// <summary>Where an analysis task stands, as stored (snake_case text at the edges).</summary>
public static class TaskStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string CompletedWithErrors = "completed_with_errors";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Running, Completed, CompletedWithErrors, Failed];

    public static bool IsFinal(string status) => status is Completed or CompletedWithErrors or Failed;
}

/// <summary>Where one section stands.</summary>
public static class SectionStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>A task as <c>analysis_tasks</c> keeps it; <see cref="Data"/> is the submitted items as JSON text.</summary>
public sealed record AnalysisTaskRecord(
    Guid TaskId,
    string Owner,
    string Status,
    string Provider,
    string Data,
    string? ProtectedToken,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A section of a task; <see cref="Result"/> is its analysis as JSON text once completed.</summary>
public sealed record AnalysisSectionRecord(
    Guid TaskId,
    string Section,
    int Position,
    string Status,
    string? Result,
    string? Error,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>How busy the task workers are, from the sections' rows.</summary>
public sealed record TaskLoad(long TotalTasks, long SectionsRunning, long SectionsQueued);

/// <summary>A task a silo took off the queue, and how many sections its run has.</summary>
public sealed record TakenTask(Guid TaskId, int Sections);
