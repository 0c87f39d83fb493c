using Orleans.Concurrency;

namespace Tributary.Diagnostics;

/// <inheritdoc cref="IMembershipViewGrain"/>
/// <remarks>A stateless worker: it activates on the silo the caller reached, reads nothing from storage, and answers at once.</remarks>
[StatelessWorker]
[GrainType("membershipview")]
public sealed class MembershipViewGrain(IClusterMembershipService membership) : Grain, IMembershipViewGrain
{
    public Task<int> ActiveSilos() =>
        Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
}
