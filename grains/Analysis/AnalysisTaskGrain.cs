using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <inheritdoc cref="IAnalysisTaskGrain"/>
/// <remarks>Its rows in <c>analysis_tasks</c> and <c>analysis_task_sections</c> are its state; every write is idempotent.</remarks>
[GrainType("analysis-task")]
public sealed partial class AnalysisTaskGrain(
    AnalysisTaskStore store,
    IAnalysisProvider provider,
    AnalysisTaskDispatcher dispatcher,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<AnalysisTaskGrain> logger) : Grain, IAnalysisTaskGrain
{
    private Guid TaskId => this.GetPrimaryKey();

    public async Task<TaskSubmitted> Submit(TaskSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        // A repeated submit (same Idempotency-Key, or the gateway's retry) is answered with the task, without a login.
        if (!submission.New && await store.GetAsync(TaskId, CancellationToken.None) is { } existing)
        {
            return new TaskSubmitted(TaskId, existing.Status, false, existing.Owner);
        }

        if (JsonNode.Parse(submission.Data) is not JsonArray data)
        {
            return Invalid(submission, "data", "A JSON array of portfolio items.");
        }

        var rules = options.Value.Rules;
        var sections = SectionDetector.Detect(data, rules);
        if (sections.Count == 0)
        {
            return Invalid(submission, "data", "No section found: an item must hold all keys of one of "
                + string.Join("; ", rules.Select(r => $"{r.Name} ({string.Join(", ", r.Keys)})")) + ".");
        }

        string? token;
        try
        {
            token = await provider.LoginAsync(submission.Username, submission.Password, CancellationToken.None);
        }
        catch (TaskRequestInvalidException exception)
        {
            return Invalid(submission, exception.Field, exception.Message);
        }
        catch (TaskLoginRefusedException exception)
        {
            return new TaskSubmitted(TaskId, TaskStatuses.Failed, false, submission.Owner, Unauthorized: exception.Message);
        }

        // The data is stored as the gateway sent it (a JSON array, checked above); PostgreSQL keeps it as jsonb.
        if (!await store.CreateAsync(new AnalysisTaskRecord(TaskId, submission.Owner, TaskStatuses.Pending, provider.Name, submission.Data, token, null,
                time.GetUtcNow(), null, null), [.. sections.Select(s => s.Name)], CancellationToken.None)
            && await store.GetAsync(TaskId, CancellationToken.None) is { } first)
        {
            return new TaskSubmitted(TaskId, first.Status, false, first.Owner);
        }

        LogSubmitted(logger, TaskId, submission.Owner, sections.Count, provider.Name);

        // The task is stored, pending: it is answered now, and a silo with free workers takes it off the queue (this one
        // looks at once). The caller waits for the task, not for its scheduling.
        dispatcher.Submitted();
        return new TaskSubmitted(TaskId, TaskStatuses.Pending, true, submission.Owner);
    }

    public async Task EnsureStarted()
    {
        // Only a task a silo took off the queue has a run to make sure of: a pending one waits for its turn.
        if (await store.GetAsync(TaskId, CancellationToken.None) is not { Status: TaskStatuses.Running })
        {
            return;
        }

        // A run that is still going is joined (single-flight per task); a run that ended without telling the task
        // re-plans the sections not completed (none: it ends at once and finishes the task).
        await AnalysisTaskJob.StartRunAsync(GrainFactory, TaskId, (await store.GetSectionsAsync(TaskId, CancellationToken.None)).Count);
    }

    public Task<bool> StartSection(string section) => store.StartSectionAsync(TaskId, section, time.GetUtcNow(), CancellationToken.None);

    public Task CompleteSection(string section, string resultJson) =>
        store.CompleteSectionAsync(TaskId, section, resultJson, time.GetUtcNow(), CancellationToken.None);

    public Task FailSection(string section, string error, bool final) =>
        store.FailSectionAsync(TaskId, section, error, final, time.GetUtcNow(), CancellationToken.None);

    public async Task<string> Finish(string reason)
    {
        var status = await store.FinishAsync(TaskId, reason, time.GetUtcNow(), CancellationToken.None);
        LogFinished(logger, TaskId, status);
        return status;
    }

    private TaskSubmitted Invalid(TaskSubmission submission, string field, string reason) =>
        new(TaskId, TaskStatuses.Failed, false, submission.Owner, InvalidField: field, Invalid: reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis task {TaskId} of {Owner}: {Sections} sections for the {Provider} provider")]
    private static partial void LogSubmitted(ILogger logger, Guid taskId, string owner, int sections, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis task {TaskId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, Guid taskId, string status);
}
