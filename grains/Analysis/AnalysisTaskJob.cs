using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tributary.Jobs;
using Tributary.Storage.Analysis;
using Tributary.Storage.Jobs;

namespace Tributary.Analysis;

/// <summary>
/// A task's sections as a job of the runtime (<c>analysis_task</c>, run key: the task id, so tasks run side by side):
/// one section per batch, every section of a task at once, each waiting for one of the silo's workers
/// (<c>Tasks:WorkersPerSilo</c>). A failing section is retried by the runtime, then dead-lettered, while the others
/// finish; the run's end tells the task, which takes its status from its sections. A silo that dies mid-task leaves the
/// run to another; a section completed once is never analysed or counted again.
/// </summary>
public sealed partial class AnalysisTaskJob(
    AnalysisTaskStore store,
    IGrainFactory grains,
    IAnalysisProvider provider,
    TaskWorkers workers,
    Microsoft.Extensions.Options.IOptions<TaskOptions> options,
    ILogger<AnalysisTaskJob> logger) : IJobDefinition
{
    /// <summary>The run parameter naming the task.</summary>
    public const string TaskIdParameter = "task_id";

    /// <summary>At most this many tasks' records are kept read; past it the cache starts over (a run resumed elsewhere never evicts its entry here).</summary>
    private const int MaxCachedTasks = 10_000;

    // A task's record and sections, read once per run on this silo for all its sections (the data never changes after the
    // submit), instead of once per section; dropped when the run ends.
    private readonly ConcurrentDictionary<Guid, Lazy<Task<(AnalysisTaskRecord Record, IReadOnlyList<DetectedSection> Sections)>>> _tasks = new();

    public string Name => AnalysisKeys.JobName;

    public string ItemsName => "Sections";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 4, MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(1), Upstream = provider.Upstream };

    public bool ReportsCounts => true;

    /// <summary>One section per batch, all of a task's sections at once (at most 16).</summary>
    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(request);
        var settings = configured.Clone();
        settings.BatchSize = 1;
        settings.DynamicBatchSizing = false;
        if (request.Parameters?.GetValueOrDefault(AnalysisKeys.SectionsParameter) is { } text && int.TryParse(text, out var sections))
        {
            settings.MaxParallelBatches = Math.Clamp(sections, 1, 16);
        }

        return settings;
    }

    /// <summary>The task's sections not completed yet, in order.</summary>
    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sections = await store.GetSectionsAsync(TaskIdOf(context.Request), cancellationToken);
        return [.. sections.Where(s => s.Status != SectionStatuses.Completed).Select(s => s.Section)];
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var taskId = TaskIdOf(batch.Request);
        var task = grains.GetGrain<IAnalysisTaskGrain>(taskId);
        var analysed = 0;
        foreach (var section in batch.Items)
        {
            try
            {
                var (record, sections) = await TaskOfAsync(taskId);
                var detected = sections.SingleOrDefault(s => s.Name == section)
                    ?? throw new PermanentBatchException($"Section {section}: no item of the task's data holds its keys (Tasks:Sections changed since the submit?).");
                JsonObject result;
                // A worker of this silo is held for the analysis only: queued sections show as pending, analysed ones as running.
                using (await workers.AcquireAsync(taskId, cancellationToken))
                {
                    if (!await task.StartSection(section))
                    {
                        continue; // completed by an earlier attempt whose checkpoint was lost: not analysed or counted again
                    }

                    result = await provider.AnalyzeAsync(record, detected, cancellationToken);
                }

                await batch.UpstreamCallEnded();
                await batch.StoreAsync(async _ =>
                {
                    await task.CompleteSection(section, result.ToJsonString());
                    return true;
                }, cancellationToken);
                analysed++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await task.FailSection(section, exception.Message, final: RetryHint.IsPermanent(exception));
                throw;
            }
        }

        return new BatchResult(analysed, Details: new JsonObject { ["sections"] = analysed });
    }

    public async Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Run is not { } run)
        {
            return;
        }

        var taskId = TaskIdOf(new RunRequest(run.Trigger, Parameters: run.Parameters));
        _tasks.TryRemove(taskId, out _);
        var status = await grains.GetGrain<IAnalysisTaskGrain>(taskId)
            .Finish(outcome.Error ?? "the section's run ended without it");
        LogTaskEnded(logger, outcome.RunId, status);
    }

    /// <summary>Starts the task's run (or joins the one going): the job's run keyed by the task, its sections side by side.</summary>
    public static async Task StartRunAsync(IGrainFactory grains, Guid taskId, int sections)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var ticket = await grains.GetGrain<IJobGrain>(JobKey.For(AnalysisKeys.JobName, AnalysisKeys.RunKey(taskId))).Trigger(new RunRequest(
            RunTrigger.Manual,
            Parameters: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AnalysisKeys.SectionsParameter] = sections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [TaskIdParameter] = taskId.ToString(),
            }));
        if (ticket.NotFound is { } notFound)
        {
            throw new InvalidOperationException(notFound);
        }
    }

    /// <summary>The task's record and detected sections, read at most once per run on this silo; a failed read is not kept.</summary>
    private async Task<(AnalysisTaskRecord Record, IReadOnlyList<DetectedSection> Sections)> TaskOfAsync(Guid taskId)
    {
        if (_tasks.Count >= MaxCachedTasks)
        {
            _tasks.Clear();
        }

        var entry = _tasks.GetOrAdd(taskId, id => new Lazy<Task<(AnalysisTaskRecord, IReadOnlyList<DetectedSection>)>>(() => ReadTaskAsync(id)));
        try
        {
            return await entry.Value;
        }
        catch
        {
            _tasks.TryRemove(KeyValuePair.Create(taskId, entry));
            throw;
        }
    }

    private async Task<(AnalysisTaskRecord, IReadOnlyList<DetectedSection>)> ReadTaskAsync(Guid taskId)
    {
        var record = await store.GetAsync(taskId, CancellationToken.None)
            ?? throw new PermanentBatchException($"Task {taskId} no longer exists (deleted by retention?).");
        return (record, SectionDetector.Detect((JsonArray)JsonNode.Parse(record.Data)!, options.Value.Rules));
    }

    private static Guid TaskIdOf(RunRequest request) =>
        request.Parameters?.GetValueOrDefault(TaskIdParameter) is { } text && Guid.TryParse(text, out var id)
            ? id
            : throw new PermanentBatchException($"The run has no {TaskIdParameter}: analysis runs are started by their task.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis run {RunId} ended; its task is {Status}")]
    private static partial void LogTaskEnded(ILogger logger, Guid runId, string status);
}
