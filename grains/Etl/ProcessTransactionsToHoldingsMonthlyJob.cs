using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.Etl;

/// <summary>Month-end holdings for every month touched; 50 assets a batch.</summary>
public sealed class ProcessTransactionsToHoldingsMonthlyJob(MarketDataStore store, HoldingsCalculator calculator) : IJobDefinition
{
    public string Name => FinTrackJobs.ProcessTransactionsToHoldingsMonthly;
    public string ItemsName => "Assets";
    public JobSettings Defaults { get; } = new() { BatchSize = 50, MaxParallelBatches = 2, MaxAttempts = 3 };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        AssetPlan.ForAsync(store, context, cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        try
        {
            return new BatchResult(await calculator.ComputeMonthlyHoldingsAsync(batch.Items, batch.Request.AccountId, cancellationToken));
        }
        catch (HoldingsDataException exception)
        {
            throw new PermanentBatchException(exception.Message, exception);
        }
    }
}
