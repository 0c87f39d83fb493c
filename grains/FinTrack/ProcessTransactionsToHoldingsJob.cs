using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Holdings per account and asset from all transactions, valued at the latest price; 100 assets a batch.</summary>
public sealed class ProcessTransactionsToHoldingsJob(MarketDataStore store, HoldingsCalculator calculator) : HoldingsJob(store)
{
    public override string Name => FinTrackJobs.ProcessTransactionsToHoldings;
    public override JobSettings Defaults { get; } = new() { BatchSize = 100, MaxParallelBatches = 2, MaxAttempts = 3 };

    protected override Task<int> ComputeAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken) =>
        calculator.ComputeHoldingsAsync(assetIds, accountId, cancellationToken);
}
