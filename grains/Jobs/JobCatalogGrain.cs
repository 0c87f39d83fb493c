using Orleans.Concurrency;

namespace Tributary.Jobs;

/// <inheritdoc cref="IJobCatalogGrain"/>
[StatelessWorker]
[GrainType("jobcatalog")]
public sealed class JobCatalogGrain(JobCatalog catalog) : Grain, IJobCatalogGrain
{
    public Task<IReadOnlyList<JobInfo>> List() => Task.FromResult(catalog.Describe());
}
