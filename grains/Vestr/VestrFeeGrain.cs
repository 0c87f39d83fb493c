using Tributary.Storage.Vestr;

namespace Tributary.Vestr;

/// <inheritdoc cref="IVestrFeeGrain"/>
/// <remarks>
/// A batch tells this grain about every day it read for the product, changed or not: a batch re-run after a crash
/// between its upsert and this call reads the same rows as unchanged, and must still get their days refreshed.
/// Refreshing is set-based and idempotent, so a repeated call costs one statement and changes nothing.
/// </remarks>
[GrainType("vestr-fee")]
public sealed class VestrFeeGrain(
    [PersistentState("vestrfee", StorageNames.GrainState)] IPersistentState<VestrFeeState> state,
    VestrFeeStore store,
    TimeProvider time) : Grain, IVestrFeeGrain
{
    private string Isin => VestrKeys.IsinOf(this.GetPrimaryKeyString());

    public async Task Touched(FeeTouch touch)
    {
        ArgumentNullException.ThrowIfNull(touch);
        await store.RefreshAggregatesAsync([.. touch.Days.Distinct().Select(day => new TouchedDay(Isin, day))], CancellationToken.None);
        await GrainFactory.GetGrain<IProductSnapshotGrain>(this.GetPrimaryKeyString()).Refresh();
        if (state.State.LatestBookingDate is null || touch.LatestBookingDate > state.State.LatestBookingDate)
        {
            state.State.LatestBookingDate = touch.LatestBookingDate;
        }

        state.State.LastSyncId = touch.SyncId;
        state.State.RefreshedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public Task<FeeCursor> GetCursor() =>
        Task.FromResult(new FeeCursor(Isin, state.State.LatestBookingDate, state.State.LastSyncId, state.State.RefreshedAt));
}

/// <summary>The product's fee cursor as stored.</summary>
[GenerateSerializer, Alias("Tributary.Vestr.VestrFeeState")]
public sealed class VestrFeeState
{
    [Id(0)]
    public DateOnly? LatestBookingDate { get; set; }

    [Id(1)]
    public Guid? LastSyncId { get; set; }

    [Id(2)]
    public DateTimeOffset? RefreshedAt { get; set; }
}
