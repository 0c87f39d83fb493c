using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tributary.Connectors.Vestr;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.Vestr;

namespace Tributary.Vestr;

/// <summary>
/// The Vestr fee sync as a job of the runtime (<c>vestr_fees</c>): a run covers the last <c>days</c> (default
/// <c>Vestr:IncrementalDays</c>) or, with <c>force_full</c>, everything since <c>Vestr:FullSyncFrom</c>, cut into windows
/// of <see cref="WindowDays"/> days, one per batch. A batch pages <c>feeDeductions</c> through its window, upserting each
/// page by id as it comes (the sync's counts in the same transaction), then tells each product it read which days to
/// refresh. The runtime's limiter, retries and Retry-After pauses apply per batch (upstream <c>vestr</c>).
/// </summary>
public sealed class VestrFeeSyncJob(VestrFeeClient client, VestrFeeStore store, IGrainFactory grains, IOptions<VestrOptions> options, TimeProvider time)
    : IJobDefinition
{
    public const string ForceFullParameter = VestrKeys.ForceFullParameter;
    public const string DaysParameter = VestrKeys.DaysParameter;

    /// <summary>Days of fees one batch reads.</summary>
    public const int WindowDays = 30;

    public string Name => VestrKeys.JobName;

    public string ItemsName => "Windows";

    public JobSettings Defaults { get; } = new() { BatchSize = 1, MaxParallelBatches = 2, MaxAttempts = 4, Upstream = VestrFeeClient.Upstream };

    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var settings = configured.Clone();
        settings.BatchSize = 1;
        settings.DynamicBatchSizing = false;
        return settings;
    }

    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (from, to, full) = RangeOf(context.Request);
        await store.StartSyncAsync(context.RunId, from, to, full, time.GetUtcNow(), cancellationToken);
        var windows = new List<string>();
        for (var start = from; start <= to; start = start.AddDays(WindowDays))
        {
            var end = start.AddDays(WindowDays - 1) < to ? start.AddDays(WindowDays - 1) : to;
            windows.Add($"{Iso(start)}..{Iso(end)}");
        }

        return windows;
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var read = new List<FeeDeduction>();
        var left = new List<TouchedDay>();
        var (inserted, updated, unchanged) = (0, 0, 0);
        foreach (var window in batch.Items)
        {
            var (from, to) = ParseWindow(window);
            string? cursor = null;
            do
            {
                var page = await client.GetFeeDeductionsAsync(from, to, cursor, options.Value.PageSize, cancellationToken);
                await batch.UpstreamCallEnded();
                var upsert = await batch.StoreAsync(
                    t => store.UpsertAsync(batch.RunId, [.. page.Items.Select(RowOf)], t), cancellationToken);
                (inserted, updated, unchanged) = (inserted + upsert.Inserted, updated + upsert.Updated, unchanged + upsert.Unchanged);
                left.AddRange(upsert.Touched);
                read.AddRange(page.Items);
                cursor = page.HasMore ? page.NextCursor : null;
            }
            while (cursor is not null);
        }

        // Every product read is told every day it read, changed or not (see VestrFeeGrain), and every product a record
        // left is told the day it left (see VestrFeeStore.MovedDaysAsync): one call per product.
        await TouchAsync(batch.RunId, [.. read.Select(f => new TouchedDay(f.ProductIsin, f.BookingDate)), .. left]);
        return new BatchResult(read.Count, Details: new JsonObject
        {
            ["inserted"] = inserted,
            ["updated"] = updated,
            ["unchanged"] = unchanged,
            ["products"] = read.Select(f => f.ProductIsin).Distinct(StringComparer.Ordinal).Count(),
        });
    }

    public bool ReportsCounts => true;

    public async Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        // Days records left in a batch that crashed before telling their product, and whose retry read them unchanged.
        await TouchAsync(outcome.RunId, await store.MovedDaysAsync(cancellationToken));
        await store.FinishSyncAsync(outcome.RunId, outcome.Status == RunStatus.Succeeded ? "succeeded" : "failed", outcome.Error, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Tells each product the days of it to refresh, one call per product.</summary>
    private Task TouchAsync(Guid runId, IReadOnlyCollection<TouchedDay> days) =>
        Task.WhenAll(days.GroupBy(d => d.ProductIsin, StringComparer.Ordinal).Select(product =>
            grains.GetGrain<IVestrFeeGrain>(VestrKeys.Product(product.Key)).Touched(
                new FeeTouch(runId, [.. product.Select(d => d.Day).Distinct().Order()], product.Max(d => d.Day)))));

    /// <summary>The run's range: the last <c>days</c> up to today, or everything since <c>Vestr:FullSyncFrom</c>.</summary>
    private (DateOnly From, DateOnly To, bool Full) RangeOf(RunRequest request)
    {
        var parameters = request.Parameters ?? new Dictionary<string, string>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (parameters.TryGetValue(ForceFullParameter, out var full) && bool.TryParse(full, out var isFull) && isFull)
        {
            return (options.Value.FullSyncFrom, today, true);
        }

        var days = parameters.TryGetValue(DaysParameter, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? asked
            : options.Value.IncrementalDays;
        return (today.AddDays(-(days - 1)), today, false);
    }

    private static FeeRecordRow RowOf(FeeDeduction f) =>
        new(f.Id, f.BookingDate, f.Amount, f.Currency, f.FeeType, f.ProductIsin, f.ProductName, f.OutstandingQuantity);

    private static (DateOnly From, DateOnly To) ParseWindow(string window)
    {
        var parts = window.Split("..", 2);
        return (DateOnly.ParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
