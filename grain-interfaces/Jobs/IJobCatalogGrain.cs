namespace Tributary.Jobs;

/// <summary>The jobs the silos know (registered job definitions and their effective settings).</summary>
/// <remarks>Stateless: every silo answers from its own registrations, which all silos share.</remarks>
[Alias("Tributary.Jobs.IJobCatalogGrain")]
public interface IJobCatalogGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<JobInfo>> List();
}

/// <summary>A job and how it runs.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Jobs.JobInfo")]
public sealed record JobInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string ItemsName,
    [property: Id(2)] int BatchSize,
    [property: Id(3)] int MaxParallelBatches,
    [property: Id(4)] int MaxAttempts,
    [property: Id(5)] bool DynamicBatchSizing,
    [property: Id(6)] string? Upstream);

/// <summary>A trigger named a job no silo knows.</summary>
[GenerateSerializer, Alias("Tributary.Jobs.UnknownJobException")]
public sealed class UnknownJobException : Exception
{
    public UnknownJobException()
    {
    }

    public UnknownJobException(string job)
        : base($"There is no job named '{job}'. GET /api/etl/jobs lists the jobs.") => Job = job;

    public UnknownJobException(string message, Exception inner)
        : base(message, inner)
    {
    }

    [Id(0)]
    public string Job { get; init; } = string.Empty;
}
