using Tributary.Storage.Vestr;

namespace Tributary.Vestr;

/// <inheritdoc cref="IProductSnapshotGrain"/>
/// <remarks>Its row in <c>fee_latest_snapshot</c> is its state: one writer per product, rebuilt set-based from the records.</remarks>
[GrainType("vestr-snapshot")]
public sealed class ProductSnapshotGrain(VestrFeeStore store) : Grain, IProductSnapshotGrain
{
    public Task Refresh() => store.RefreshSnapshotsAsync([VestrKeys.IsinOf(this.GetPrimaryKeyString())], CancellationToken.None);
}
