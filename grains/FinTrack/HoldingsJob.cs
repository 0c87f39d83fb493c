using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>
/// The two holdings jobs: the same plan (all assets, or an account's) and the same handling of bad data; they
/// differ only in what they compute per batch.
/// </summary>
/// <remarks>An oversold position is bad data: the batch is dead-lettered at once, its sibling batches still commit.</remarks>
public abstract class HoldingsJob(MarketDataStore store) : IJobDefinition
{
    public abstract string Name { get; }
    public string ItemsName => "Assets";
    public abstract JobSettings Defaults { get; }

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        AssetPlan.ForAsync(store, context, cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        try
        {
            return new BatchResult(await ComputeAsync(batch.Items, batch.Request.AccountId, cancellationToken));
        }
        catch (HoldingsDataException exception)
        {
            throw new PermanentBatchException(exception.Message, exception);
        }
    }

    /// <summary>Replaces the rows of these assets (of one account, or all) and returns how many stand now.</summary>
    protected abstract Task<int> ComputeAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken);
}
