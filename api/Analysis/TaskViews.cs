using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tributary.Storage.Analysis;

namespace Tributary.Api.Analysis;

/// <summary>Body of <c>POST /task/submit</c>, as the seed took it.</summary>
/// <param name="Username">The AI platform's user (with the platform provider); used for the login and dropped.</param>
/// <param name="Password">Its password: exchanged for a token at once, never stored, logged or answered.</param>
/// <param name="Data">The portfolio items, a JSON array of objects; their keys decide the sections.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TaskSubmitBody(
    [property: JsonPropertyName("username")] string? Username = null,
    [property: JsonPropertyName("password")] string? Password = null,
    [property: JsonPropertyName("data")] JsonElement? Data = null)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"TaskSubmitBody {{ Username = {Username} }}";
}

public sealed record TaskSubmittedView(
    [property: JsonPropertyName("task_id")] Guid TaskId,
    [property: JsonPropertyName("status")] string Status);

/// <summary>A task's progress: its status, each section's and the timings.</summary>
public sealed record TaskStatusView(
    [property: JsonPropertyName("task_id")] Guid TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("duration_ms")] long? DurationMs,
    [property: JsonPropertyName("progress")] TaskProgressView Progress,
    [property: JsonPropertyName("sections")] IReadOnlyList<SectionStatusView> Sections,
    [property: JsonPropertyName("error")] string? Error)
{
    public static TaskStatusView From(AnalysisTaskRecord task, IReadOnlyList<AnalysisSectionRecord> sections) => new(
        task.TaskId, task.Status, task.Provider, task.CreatedAt, task.StartedAt, task.FinishedAt, Milliseconds(task.StartedAt, task.FinishedAt),
        new TaskProgressView(sections.Count, sections.Count(s => s.Status == SectionStatuses.Completed), sections.Count(s => s.Status == SectionStatuses.Failed),
            sections.Count(s => s.Status == SectionStatuses.Running), sections.Count(s => s.Status == SectionStatuses.Pending),
            sections.Count == 0 ? 0 : Math.Round(100.0 * sections.Count(s => s.Status is SectionStatuses.Completed or SectionStatuses.Failed) / sections.Count, 1)),
        [.. sections.Select(s => new SectionStatusView(s.Section, s.Status, s.Attempts, s.StartedAt, s.FinishedAt, Milliseconds(s.StartedAt, s.FinishedAt), s.Error))],
        task.Error);

    internal static long? Milliseconds(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? (long)(b - a).TotalMilliseconds : null;
}

public sealed record TaskProgressView(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("completed")] int Completed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("running")] int Running,
    [property: JsonPropertyName("pending")] int Pending,
    [property: JsonPropertyName("percent")] double Percent);

public sealed record SectionStatusView(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("duration_ms")] long? DurationMs,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>A finished task's analyses, section by section.</summary>
public sealed record TaskResultView(
    [property: JsonPropertyName("task_id")] Guid TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("sections")] IReadOnlyList<SectionResultView> Sections)
{
    public static TaskResultView From(AnalysisTaskRecord task, IReadOnlyList<AnalysisSectionRecord> sections) => new(
        task.TaskId, task.Status,
        [.. sections.Select(s => new SectionResultView(s.Section, s.Status, s.Result is null ? null : JsonNode.Parse(s.Result), s.Error))]);
}

public sealed record SectionResultView(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("result")] JsonNode? Result,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>A task in <c>GET /tasks</c>.</summary>
public sealed record TaskListItemView(
    [property: JsonPropertyName("task_id")] Guid TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("error")] string? Error)
{
    public static TaskListItemView From(AnalysisTaskRecord task) => new(task.TaskId, task.Status, task.Provider, task.CreatedAt, task.FinishedAt, task.Error);
}
