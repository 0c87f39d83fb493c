using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.MarketData;
using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Latest index levels, 100 symbols a batch, upserted into <c>index_values_latest</c>.</summary>
public sealed class FetchMarketIndexDataJob(MarketDataStore store, IServiceProvider services, TimeProvider time) : IJobDefinition
{
    public string Name => FinTrackJobs.FetchMarketIndexData;
    public string ItemsName => "Symbols";
    public JobSettings Defaults { get; } = new() { BatchSize = 100, MaxParallelBatches = 1, MaxAttempts = 4, Upstream = FinTrackJobs.MarketDataUpstream };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        store.ListIndexSymbolsAsync(cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var levels = await services.GetRequiredService<MarketDataClient>().GetIndexLevelsAsync(batch.Items, cancellationToken);
        var fetchedAt = time.GetUtcNow();
        var rows = levels.Found
            .Select(l => new Storage.FinTrack.IndexLevel(l.Symbol, l.Level, TradingDay.CloseAt(l.AsOf, fetchedAt)))
            .ToList();
        return new BatchResult(await batch.StoreAsync(t => store.UpsertIndexLevelsAsync(rows, t), cancellationToken));
    }
}
