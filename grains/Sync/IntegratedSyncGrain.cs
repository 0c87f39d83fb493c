using Tributary.Jobs;
using Tributary.Storage.Jobs;

namespace Tributary.Sync;

/// <inheritdoc cref="IIntegratedSyncGrain"/>
/// <remarks>No state of its own: the job grain keeps single-flight and the runs, the schedule grain the schedule.</remarks>
[GrainType("integrated-sync")]
public sealed class IntegratedSyncGrain : Grain, IIntegratedSyncGrain
{
    public Task<RunTicket> Start(SyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Job.Trigger(new RunRequest(RunTrigger.Manual, Parameters: request.Parameters(), IdempotencyKey: request.IdempotencyKey));
    }

    public Task<JobSnapshot> GetSnapshot() => Job.GetSnapshot();

    private IJobGrain Job => GrainFactory.GetGrain<IJobGrain>(JobKey.For(SyncKeys.SyncJob));
}
