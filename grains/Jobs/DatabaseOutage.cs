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
public sealed partial class DatabaseOutage
{
    /// <summary>What one ride-out is doing and since when its outage lasts, carried to the shared pipeline's callbacks.</summary>
    private static readonly ResiliencePropertyKey<Outage> OutageKey = new("tributary.database-outage");

    private readonly IOptions<JobRuntimeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DatabaseOutage> _logger;

    // Built once: a pipeline per call cost a retry strategy's construction and validation (reflection) on every
    // checkpoint, claim and store, about 4 % of a busy silo's CPU. Each call's own facts travel in its context.
    private readonly ResiliencePipeline _pipeline;

    public DatabaseOutage(IOptions<JobRuntimeOptions> options, TimeProvider time, ILogger<DatabaseOutage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_options, _time, _logger) = (options, time, logger);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.Value.DatabaseRetryDelay,
                MaxDelay = options.Value.DatabaseRetryMaxDelay,
                UseJitter = true,
                // An inner ride-out that already waited the whole tolerance is not waited out again here.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e and not DatabaseOutageExceededException
                    && DatabaseFault.IsUnavailable(e)
                    && OutageOf(args.Context).Lasted(_time) < _options.Value.DatabaseOutageTolerance),
                OnRetry = args =>
                {
                    var outage = OutageOf(args.Context);
                    LogWaiting(_logger, outage.What, args.RetryDelay, outage.Began.GetValueOrDefault());
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="operation"/>, riding out database outages up to the configured tolerance.</summary>
    /// <param name="what">What the operation does, for the log ("storing batch 3 of run ...").</param>
    public async Task<T> RideOutAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var outage = new Outage(what);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OutageKey, outage);
        T result;
        try
        {
            result = await _pipeline.ExecuteAsync(static async (context, operation) => await operation(context.CancellationToken), context, operation);
        }
        catch (Exception exception) when (exception is not DatabaseOutageExceededException && outage.Began is not null && DatabaseFault.IsUnavailable(exception))
        {
            throw new DatabaseOutageExceededException(what, _options.Value.DatabaseOutageTolerance, exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outage.Began is { } start)
        {
            var lasted = _time.GetUtcNow() - start;
            LogBack(_logger, what, lasted);
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

    private static Outage OutageOf(ResilienceContext context) => context.Properties.GetValue(OutageKey, null!);

    /// <summary>One ride-out: what it does, and when its outage began (the first failure that counted as one).</summary>
    private sealed class Outage(string what)
    {
        public string What { get; } = what;

        public DateTimeOffset? Began { get; private set; }

        /// <summary>How long the outage has lasted; a first failure starts it.</summary>
        public TimeSpan Lasted(TimeProvider time) => time.GetUtcNow() - (Began ??= time.GetUtcNow());
    }

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
