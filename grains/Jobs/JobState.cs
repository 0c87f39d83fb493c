namespace Tributary.Jobs;

/// <summary>Durable state of a <see cref="JobGrain"/>: which run is under way and how the last one ended.</summary>
/// <remarks>The run's progress lives in <c>job_runs</c>/<c>job_run_batches</c>; this only says which run to resume.</remarks>
[GenerateSerializer, Alias("Tributary.Jobs.JobState")]
public sealed class JobState
{
    [Id(0)] public Guid? CurrentRunId { get; set; }
    [Id(1)] public List<long> CurrentReplayOf { get; set; } = [];
    [Id(2)] public Guid? LastRunId { get; set; }
    /// <summary>The last run's status as its text (<c>RunStatusExtensions.ToText</c>): state is a database edge, and rows already stored hold text.</summary>
    [Id(3)] public string? LastStatus { get; set; }
    [Id(4)] public DateTimeOffset? LastFinishedAt { get; set; }
}
