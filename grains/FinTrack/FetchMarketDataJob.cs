using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.MarketData;
using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Latest quotes for all assets (or an account's), 100 assets a batch, upserted into <c>prices_latest</c>.</summary>
/// <remarks>Symbols the feed does not know are skipped, not failed: one delisted asset must not dead-letter 99 others.</remarks>
public sealed class FetchMarketDataJob(MarketDataStore store, IServiceProvider services, TimeProvider time) : IJobDefinition
{
    public string Name => FinTrackJobs.FetchMarketData;
    public string ItemsName => "Assets";
    public JobSettings Defaults { get; } = new() { BatchSize = 100, MaxParallelBatches = 2, MaxAttempts = 4, Upstream = FinTrackJobs.MarketDataUpstream };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        AssetPlan.ForAsync(store, context, cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var assets = await AssetSymbols.ForAsync(store, batch.Items, cancellationToken);
        var quotes = await services.GetRequiredService<MarketDataClient>().GetQuotesAsync(assets.Keys.ToList(), cancellationToken);
        var fetchedAt = time.GetUtcNow();
        var prices = quotes.Found
            .Select(q => new LatestPrice(assets[q.Symbol], q.Price, q.Currency, TradingDay.CloseAt(q.AsOf, fetchedAt), FinTrackJobs.MarketDataUpstream))
            .ToList();
        return new BatchResult(await batch.StoreAsync(t => store.UpsertLatestPricesAsync(prices, t), cancellationToken));
    }
}
