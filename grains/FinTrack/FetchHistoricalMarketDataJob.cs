using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.MarketData;
using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>
/// Daily closes for a date range, 50 assets a batch, upserted into <c>price_history</c>. The range is the run's
/// <c>from</c>/<c>to</c> parameters (yyyy-MM-dd); without <c>from</c>, each asset continues from the day after
/// its last stored close (or <see cref="DefaultLookbackDays"/> back when it has none); <c>to</c> defaults to today (UTC).
/// </summary>
public sealed class FetchHistoricalMarketDataJob(MarketDataStore store, IServiceProvider services, TimeProvider time) : IJobDefinition
{
    public const int DefaultLookbackDays = 365;

    public string Name => FinTrackJobs.FetchHistoricalMarketData;
    public string ItemsName => "Symbols";
    public JobSettings Defaults { get; } = new() { BatchSize = 50, MaxParallelBatches = 2, MaxAttempts = 4, Upstream = FinTrackJobs.MarketDataUpstream };

    public Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken) =>
        AssetPlan.ForAsync(store, context, cancellationToken);

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var to = Day(batch.Request, "to") ?? today;
        var from = Day(batch.Request, "from");
        var assets = await AssetSymbols.ForAsync(store, batch.Items, cancellationToken);
        var lastStored = from is null ? await store.GetLastPriceHistoryDaysAsync(batch.Items, cancellationToken) : new Dictionary<string, DateOnly>();
        var client = services.GetRequiredService<MarketDataClient>();

        // Assets starting on the same day share one call (chunked by the client); up to date ones are skipped.
        var written = 0;
        var groups = assets.GroupBy(a => from ?? (lastStored.TryGetValue(a.Value, out var last) ? last.AddDays(1) : today.AddDays(-DefaultLookbackDays)));
        foreach (var group in groups.Where(g => g.Key <= to))
        {
            var history = await client.GetHistoryAsync(group.Select(a => a.Key).ToList(), group.Key, to, cancellationToken);
            var closes = history.Found
                .SelectMany(h => h.Days.Select(d => new Storage.FinTrack.DailyClose(assets[h.Symbol], d.Date, d.Close)))
                .ToList();
            written += closes.Count == 0 ? 0 : await batch.StoreAsync(t => store.UpsertPriceHistoryAsync(closes, t), cancellationToken);
        }

        return new BatchResult(written);
    }

    /// <summary>A date parameter, already validated by the API.</summary>
    private static DateOnly? Day(RunRequest request, string name) =>
        request.Parameters?.GetValueOrDefault(name) is { } text
            ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
}
