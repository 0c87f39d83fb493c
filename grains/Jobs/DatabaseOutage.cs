using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Tributary.Jobs;

/// <summary>
/// Waits out an outage of our own database: an operation that fails because PostgreSQL is unreachable is tried again,
/// with a backoff capped at a few seconds, until it succeeds or <see cref="JobRuntimeOptions.DatabaseOutageTolerance"/>
/// has passed since the outage began. Other errors pass through at once.
/// </summary>
/// <remarks>
/// This is what keeps a database outage from being blamed on an upstream: a batch whose store failed keeps the page it
/// fetched and writes it again when the database is back, rather than spending its attempts (and the upstream's quota)
/// fetching it again, and nothing is dead-lettered because of it.
/// </remarks>
public sealed partial class DatabaseOutage(IOptions<JobRuntimeOptions> options, TimeProvider time, ILogger<DatabaseOutage> logger)
{
    /// <summary>Runs <paramref name="operation"/>, riding out database outages up to the configured tolerance.</summary>
    /// <param name="what">What the operation does, for the log ("storing batch 3 of run ...").</param>
    public async Task<T> RideOutAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var began = (DateTimeOffset?)null;
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.Value.DatabaseRetryDelay,
                MaxDelay = options.Value.DatabaseRetryMaxDelay,
                UseJitter = true,
                // An inner ride-out that already waited the whole tolerance is not waited out again here.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e and not DatabaseOutageExceededException
                    && DatabaseFault.IsUnavailable(e)
                    && time.GetUtcNow() - (began ??= time.GetUtcNow()) < options.Value.DatabaseOutageTolerance),
                OnRetry = args =>
                {
                    var since = began.GetValueOrDefault();
                    LogWaiting(logger, what, args.RetryDelay, since);

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        T result;
        try
        {
            result = await pipeline.ExecuteAsync(async token => await operation(token), cancellationToken);
        }
        catch (Exception exception) when (exception is not DatabaseOutageExceededException && began is not null && DatabaseFault.IsUnavailable(exception))
        {
            throw new DatabaseOutageExceededException(what, options.Value.DatabaseOutageTolerance, exception);
        }

        if (began is { } start)
        {
            var outage = time.GetUtcNow() - start;
            LogBack(logger, what, outage);
        }

        return result;
    }

    /// <inheritdoc cref="RideOutAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public Task RideOutAsync(string what, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RideOutAsync(what, async token =>
        {
            await operation(token);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unreachable while {What}; trying again in {Delay} (unreachable since {Since:O})")]
    private static partial void LogWaiting(ILogger logger, string what, TimeSpan delay, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is back: {What} went through after {Outage}")]
    private static partial void LogBack(ILogger logger, string what, TimeSpan outage);
}

/// <summary>
/// The database stayed unreachable for the whole <see cref="JobRuntimeOptions.DatabaseOutageTolerance"/>. Still an outage
/// (its inner exception says so), so nothing is dead-lettered for it; the run's loop stops and a later sweep resumes it.
/// </summary>
public sealed class DatabaseOutageExceededException(string what, TimeSpan tolerance, Exception inner)
    : Exception($"The database stayed unreachable for {tolerance} while {what}; the run resumes from its checkpoint when it is back.", inner);
