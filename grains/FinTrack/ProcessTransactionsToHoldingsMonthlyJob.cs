using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Month-end holdings for every month touched; 50 assets a batch.</summary>
public sealed class ProcessTransactionsToHoldingsMonthlyJob(MarketDataStore store, HoldingsCalculator calculator) : HoldingsJob(store)
{
    public override string Name => FinTrackJobs.ProcessTransactionsToHoldingsMonthly;
    public override JobSettings Defaults { get; } = new() { BatchSize = 50, MaxParallelBatches = 2, MaxAttempts = 3 };

    protected override Task<int> ComputeAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken) =>
        calculator.ComputeMonthlyHoldingsAsync(assetIds, accountId, cancellationToken);
}
