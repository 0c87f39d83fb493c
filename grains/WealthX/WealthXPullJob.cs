using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Connectors.WealthX;
using Tributary.Jobs;
using Tributary.Storage.Dossiers;

namespace Tributary.WealthX;

/// <summary>
/// A WealthX feed's sessions as runs of the job runtime (job <see cref="WealthXFeed.JobName"/>): the feed's
/// <see cref="IWealthXPullGrain"/> plans the pages of a session, and each batch fetches one page, stores it with an
/// idempotent bulk upsert, and only then moves the feed's cursor (commit, then checkpoint).
/// </summary>
/// <remarks>
/// The runtime provides the rest: the schedule, one session at a time, the cluster-wide minimum interval between
/// calls (the <c>wealthx</c> rate limiter of the feed's credential), retries with backoff that honour Retry-After, and
/// a progress event per page. 401 and 400 are permanent and stop the session at once (<see cref="JobSettings.StopOnDeadLetter"/>);
/// a malformed reply is retried, and a page that keeps failing stops the session without moving the cursor.
/// Replays of a dead-lettered page do nothing: the next session starts at the cursor anyway.
/// </remarks>
/// <param name="clients">Makes a client per page: typed HTTP clients are short-lived, so their handlers rotate.</param>
public sealed class WealthXPullJob(string feed, IGrainFactory grains, Func<WealthXClient> clients, IDossierStore store) : IJobDefinition
{
    public string Name { get; } = WealthXFeed.JobName(feed);

    /// <summary>Items are pages (<c>from-to</c>); a batch's itemsProcessed counts the dossiers it stored.</summary>
    public string ItemsName => "Pages";

    public JobSettings Defaults { get; } = new()
    {
        BatchSize = 1,
        // One page at a time: while a pass's total is unknown, a second page in flight could ask past the end. At
        // 1 s between calls, fetching and storing a page (~0.2 s) never holds the session back.
        MaxParallelBatches = 1,
        MaxAttempts = 5,
        RetryBaseDelay = TimeSpan.FromSeconds(2),
        Upstream = WealthXClient.Upstream,
        UpstreamCredential = feed,
        StopOnDeadLetter = true,
    };

    private IWealthXPullGrain Pull => grains.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey(feed));

    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        int? maxBatches = null;
        if (context.Request.Parameters?.GetValueOrDefault("maxBatches") is { } text)
        {
            maxBatches = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
                ? parsed
                : throw new ArgumentException($"maxBatches must be a whole number of 1 or more; was '{text}'.");
        }

        var plan = await Pull.PlanSession(context.RunId, maxBatches);
        return plan.Pages;
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        if (batch.Items is not [var item] || !TryParseRange(item, out var from, out var to))
        {
            throw new PermanentBatchException(
                $"A {Name} batch must be exactly one page 'from-to'; got [{string.Join(", ", batch.Items)}]. Jobs:{Name}:BatchSize must be 1.");
        }

        var order = await Pull.OrderPage(batch.RunId, from, to);
        if (order.Skip)
        {
            // Past the total, the pass ended, or the session was replaced: nothing more to ask for. Stored already: go on.
            return new BatchResult(0, order.EndOfData, new JsonObject
            {
                ["feed"] = feed,
                ["fromIndex"] = from,
                ["toIndex"] = to,
                ["skipped"] = order.SkipReason,
            });
        }

        Connectors.WealthX.DossierPage page;
        try
        {
            page = await clients().GetPageAsync(order.FromIndex, order.ToIndex, order.Since, cancellationToken);
        }
        catch (ArgumentException exception)
        {
            throw new PermanentBatchException(exception.Message, exception);
        }
        finally
        {
            // The next call's interval counts from here, not from after the page is stored.
            await batch.UpstreamCallEnded();
        }

        // Store, then checkpoint; when our database is unreachable this waits for it with the page in hand, so an
        // outage never costs a second call to WealthX (both writes are idempotent: a page stored twice counts once).
        var documents = page.Dossiers.Select(DossierDocument.FromJson).ToList();
        var written = await batch.StoreAsync(t => store.UpsertPageAsync(documents, t), cancellationToken);
        var checkpoint = await batch.StoreAsync(_ => Pull.CommitPage(new WealthXPageCommit(
            batch.RunId, order.Mode, order.Since, order.FromIndex, order.ToIndex, page.Dossiers.Count, page.TotalDossiers,
            written.Inserted, written.Updated, written.Unchanged)), cancellationToken);
        return new BatchResult(page.Dossiers.Count, checkpoint.EndOfData, new JsonObject
        {
            ["feed"] = feed,
            ["mode"] = order.Mode,
            ["since"] = order.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["fromIndex"] = order.FromIndex,
            ["toIndex"] = order.ToIndex,
            ["records"] = page.Dossiers.Count,
            ["totalDossiers"] = page.TotalDossiers,
            ["inserted"] = written.Inserted,
            ["updated"] = written.Updated,
            ["unchanged"] = written.Unchanged,
            ["nextIndex"] = checkpoint.NextIndex,
            ["recordsProcessed"] = checkpoint.RecordsProcessed,
            ["complete"] = checkpoint.Complete,
        });
    }

    public Task RunFinishedAsync(JobRunOutcome outcome, CancellationToken cancellationToken) =>
        Pull.SessionFinished(outcome.RunId, outcome.Status, outcome.Error);

    /// <summary>Reads a page item <c>from-to</c>.</summary>
    public static bool TryParseRange(string item, out int from, out int to)
    {
        from = to = 0;
        var dash = item.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(item.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out from)
            && int.TryParse(item.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out to)
            && from >= 1 && to >= from;
    }
}
