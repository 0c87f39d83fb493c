using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.Etl;

/// <summary>Holdings per account and asset from all transactions, valued at the latest price; 100 assets a batch.</summary>
/// <remarks>An oversold position is bad data: the batch is dead-lettered at once, its sibling batches still commit.</remarks>
public sealed class ProcessTransactionsToHoldingsJob(MarketDataStore store, HoldingsCalculator calculator) : IJobDefinition
{
    public string Name => FinTrackJobs.ProcessTransactionsToHoldings;
    public string ItemsName => "Assets";
    public JobSettings Defaults { get; } = new() { BatchSize = 100, MaxParallelBatches = 2, MaxAttempts = 3 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        AssetPlan.ForAsync(store, context, cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        try
        {
            return new BatchResult(await calculator.ComputeHoldingsAsync(batch.Items, batch.Request.AccountId, cancellationToken));
        }
        catch (HoldingsDataException exception)
        {
            throw new PermanentBatchException(exception.Message, exception);
        }
    }
}
