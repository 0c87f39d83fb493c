using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// The job grain as its own run loop sees it. Not part of the public contract (<see cref="IJobGrain"/>): only the loop
/// that runs beside the grain tells it that a run ended.
/// </summary>
[Alias("Tributary.Jobs.IJobRunOwner")]
public interface IJobRunOwner : IGrainWithStringKey
{
    /// <summary>The run reached a final status: frees the job for its next run (idempotent).</summary>
    [Alias("RunFinished")]
    [Orleans.Concurrency.OneWay]
    Task RunFinished(Guid runId, RunStatus status);
}
