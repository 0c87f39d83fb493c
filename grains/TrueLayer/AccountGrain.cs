using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tributary.Connectors;
using Tributary.Connectors.TrueLayer;
using Tributary.Storage.Events;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <inheritdoc cref="IAccountGrain"/>
/// <remarks>
/// The account's progress row in <c>truelayer_import_progress</c> is its state: a step reads it, makes its one call,
/// commits the transactions chunk by chunk (each chunk with its counters, in one transaction), then moves the cursor
/// with the progress event. A step re-run after a crash re-reads the same unit; its rows are upserted again and counted
/// once (<see cref="TrueLayerStore.CommitChunkAsync"/>). The pending list comes first so that a transaction settling
/// between the two calls ends settled.
/// </remarks>
[GrainType("truelayer-account")]
public sealed partial class AccountGrain(
    TrueLayerDataClient data,
    TrueLayerStore store,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>The event each committed step writes (the SSE stream and webhooks carry it).</summary>
    public const string ProgressEventType = "tributary.truelayer.import.progress";

    private readonly Lock _measureLock = new();
    private double _callMilliseconds;
    private int _calls;
    private Prefetch? _next;

    private string AccountId => this.GetPrimaryKeyString();

    public async Task<AccountStep> Step(AccountStepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var progress = await ProgressAsync(request.JobId);
        if (progress is null)
        {
            return new AccountStep(AccountStepOutcome.Failed, 0, 0, 0, 0, 0, Error: $"Account '{AccountId}' is not part of import {request.JobId}.");
        }

        var total = 1 + ImportPlanner.Windows(request.From, request.To, request.WindowDays);
        if (progress.Status == "completed")
        {
            return Report(AccountStepOutcome.Done, progress, total);
        }

        if (progress.Status != "syncing")
        {
            await store.StartAccountAsync(request.JobId, AccountId, total, request.From, time.GetUtcNow(), CancellationToken.None);
            progress = (await ProgressAsync(request.JobId))!;
        }

        var unit = progress.WindowsDone;
        if (unit >= total)
        {
            return await FinishAsync(request, progress, total);
        }

        var windowFrom = unit == 0 ? request.From : progress.NextFrom ?? request.From;
        var windowTo = unit == 0 ? request.To : Min(windowFrom.AddDays(request.WindowDays - 1), request.To);
        var connection = grains.GetGrain<IConnectionGrain>(request.ConnectionId);
        var kind = request.Kind == "card" ? TrueLayerAccountKind.Card : TrueLayerAccountKind.Account;
        string? rejected = null;
        IReadOnlyList<TrueLayerTransaction> transactions;
        string? message = null;
        var prefetched = TakePrefetch(request.JobId, unit, windowFrom, windowTo);
        while (true)
        {
            var grant = await connection.GetAccessToken(rejected);
            if (grant.AccessToken is not { } token)
            {
                return new AccountStep(AccountStepOutcome.Failed, progress.Synced, progress.Duplicates, progress.Errors, unit, total,
                    Error: grant.Problem, Transient: grant.Transient, ErrorCode: grant.ReauthRequired ? "invalid_grant" : null);
            }

            var watch = Stopwatch.StartNew();
            try
            {
                transactions = unit == 0
                    ? [.. (await data.GetPendingTransactionsAsync(token, kind, AccountId, CancellationToken.None))
                        .Where(t => DateOnly.FromDateTime(t.Timestamp.UtcDateTime) is var day && day >= request.From && day <= request.To)]
                    : prefetched is { } ready
                        ? await ready
                        : await data.GetTransactionsAsync(token, kind, AccountId, windowFrom, windowTo, CancellationToken.None);
                if (prefetched is null)
                {
                    Measured(watch.Elapsed);
                }

                if (unit + 1 < total)
                {
                    var following = unit == 0 ? request.From : windowTo.AddDays(1);
                    await PrefetchAsync(request, unit + 1, following, Min(following.AddDays(request.WindowDays - 1), request.To), token, kind);
                }

                break;
            }
            catch (UpstreamException exception) when (exception is { StatusCode: 401 } && rejected is null)
            {
                // The token was refused (revoked, or expired early): one refresh, one more try.
                Measured(watch.Elapsed);
                rejected = token;
                prefetched = null;
            }
            catch (UpstreamException exception) when (exception.StatusCode == 429)
            {
                if (prefetched is null)
                {
                    Measured(watch.Elapsed);
                    // The connection pauses at once for every caller; the batch waits the pause out beside the grain.
                    await TrueLayerImportJob.LimiterOf(grains, request.ConnectionId).PauseUntil(time.GetUtcNow() + (exception.RetryAfter ?? TimeSpan.FromSeconds(1)));
                }

                LogThrottled(logger, AccountId, request.JobId, exception.RetryAfter);
                return new AccountStep(AccountStepOutcome.Throttled, progress.Synced, progress.Duplicates, progress.Errors, unit, total,
                    RetryAfter: exception.RetryAfter ?? TimeSpan.FromSeconds(1), Error: exception.Message, Transient: true, ErrorCode: exception.ErrorCode, HttpStatus: 429);
            }
            catch (UpstreamException exception) when (exception.ErrorCode == "sca_exceeded" && unit > 0)
            {
                // Old history behind Strong Customer Authentication: this window is lost until the user re-consents; the
                // account and the job go on with the rest.
                Measured(watch.Elapsed);
                transactions = [];
                message = string.Create(CultureInfo.InvariantCulture,
                    $"Transactions from {windowFrom:yyyy-MM-dd} to {windowTo:yyyy-MM-dd} were not imported: the bank asks the user to authenticate again (SCA) for history older than 90 days. Reconnect the bank through GET /api/truelayer/connect, then import that range within 5 minutes.");
                LogScaExceeded(logger, AccountId, request.JobId, windowFrom, windowTo);
                break;
            }
            catch (UpstreamException exception)
            {
                Measured(watch.Elapsed);
                return new AccountStep(AccountStepOutcome.Failed, progress.Synced, progress.Duplicates, progress.Errors, unit, total,
                    Error: exception.Message, Transient: exception.IsTransient, ErrorCode: exception.ErrorCode, HttpStatus: exception.StatusCode);
            }
        }

        var (rows, invalid) = TransactionRows.From(transactions, pending: unit == 0);
        foreach (var chunk in rows.Chunk(request.BatchSize))
        {
            await store.CommitChunkAsync(request.JobId, AccountId, chunk, CancellationToken.None);
        }

        var nextFrom = unit == 0 ? request.From : windowTo.AddDays(1);
        var combined = message is null ? null : progress.Message is { Length: > 0 } earlier ? $"{earlier} {message}" : message;
        await store.CheckpointWindowAsync(request.JobId, AccountId, nextFrom, unit + 1, invalid, combined,
            ProgressEvent(request, unit + 1, total, transactions.Count), CancellationToken.None);
        var after = (await ProgressAsync(request.JobId))!;
        return unit + 1 >= total ? await FinishAsync(request, after, total) : Report(AccountStepOutcome.Progressed, after, total);
    }

    private async Task<AccountStep> FinishAsync(AccountStepRequest request, ImportProgress progress, int total)
    {
        var now = time.GetUtcNow();
        await store.FinishAccountAsync(request.JobId, AccountId, "completed", null, now, CancellationToken.None);
        var days = request.To.DayNumber - request.From.DayNumber + 1;
        var seen = progress.Synced + progress.Duplicates;
        var syncedUntil = new DateTimeOffset(request.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await store.RecordAccountSyncAsync(AccountId, now, syncedUntil, days > 0 ? (double)seen / days : null, _calls > 0 ? _callMilliseconds / _calls : null, CancellationToken.None);
        LogAccountDone(logger, AccountId, request.JobId, progress.Synced, progress.Duplicates, progress.Errors);
        return Report(AccountStepOutcome.Done, progress, total);
    }

    private Task<ImportProgress?> ProgressAsync(Guid jobId) => store.GetAccountProgressAsync(jobId, AccountId, CancellationToken.None);

    private void Measured(TimeSpan elapsed)
    {
        lock (_measureLock)
        {
            _callMilliseconds += elapsed.TotalMilliseconds;
            _calls++;
        }
    }

    /// <summary>
    /// Starts reading the next window while this step commits its own: an import is bound by TrueLayer's latency, and
    /// this way an account's calls follow each other with no commit in between. Only when the connection's limiter has no
    /// steady limit and no Retry-After pause (the call would otherwise go around the limiter's spacing); the next step
    /// takes the result if it asks for that same window, else it reads again. Nothing is stored until that step commits.
    /// </summary>
    private async Task PrefetchAsync(AccountStepRequest request, int unit, DateOnly from, DateOnly to, string token, TrueLayerAccountKind kind)
    {
        var limiter = TrueLayerImportJob.LimiterOf(grains, request.ConnectionId);
        var limit = await limiter.GetState();
        if (limit.PermitsPerSecond > 0 || limit.PausedUntil > time.GetUtcNow())
        {
            return;
        }

        var accountId = AccountId;
        var fetch = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                return await data.GetTransactionsAsync(token, kind, accountId, from, to, CancellationToken.None);
            }
            catch (UpstreamException exception) when (exception.StatusCode == 429)
            {
                // Nobody looks at this read until the next step: the connection pauses now, not then.
                await limiter.PauseUntil(time.GetUtcNow() + (exception.RetryAfter ?? TimeSpan.FromSeconds(1)));
                throw;
            }
            finally
            {
                Measured(watch.Elapsed);
            }
        });
        // A prefetch nobody takes (the job ended, the grain was deactivated) must not raise an unobserved exception.
        _ = fetch.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _next = new Prefetch(request.JobId, unit, from, to, fetch);
    }

    /// <summary>The prefetched read of exactly this window, if there is one; the slot is emptied either way.</summary>
    private Task<IReadOnlyList<TrueLayerTransaction>>? TakePrefetch(Guid jobId, int unit, DateOnly from, DateOnly to)
    {
        var next = _next;
        _next = null;
        return next is not null && next.JobId == jobId && next.Unit == unit && next.From == from && next.To == to ? next.Fetch : null;
    }

    private sealed record Prefetch(Guid JobId, int Unit, DateOnly From, DateOnly To, Task<IReadOnlyList<TrueLayerTransaction>> Fetch);

    private OutboxEvent ProgressEvent(AccountStepRequest request, int unitsDone, int total, int read) =>
        new(ProgressEventType, $"/truelayer/imports/{request.JobId}", AccountId, TrueLayerImportJob.JobName, time.GetUtcNow(), new JsonObject
        {
            ["job_id"] = request.JobId.ToString(),
            ["connection_id"] = request.ConnectionId,
            ["account_id"] = AccountId,
            ["units_done"] = unitsDone,
            ["units_total"] = total,
            ["transactions_read"] = read,
        });

    private static AccountStep Report(AccountStepOutcome outcome, ImportProgress progress, int total) =>
        new(outcome, progress.Synced, progress.Duplicates, progress.Errors, Math.Min(progress.WindowsDone, total), total);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} of import {JobId} throttled by TrueLayer; Retry-After {RetryAfter}")]
    private static partial void LogThrottled(ILogger logger, string accountId, Guid jobId, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId} of import {JobId}: {From}..{To} needs re-consent (sca_exceeded); the window is skipped")]
    private static partial void LogScaExceeded(ILogger logger, string accountId, Guid jobId, DateOnly from, DateOnly to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} of import {JobId} done: {Synced} new, {Duplicates} duplicates, {Errors} errors")]
    private static partial void LogAccountDone(ILogger logger, string accountId, Guid jobId, int synced, int duplicates, int errors);
}
