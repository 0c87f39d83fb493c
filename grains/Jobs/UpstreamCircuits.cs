using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;

namespace Tributary.Jobs;

/// <summary>
/// One circuit breaker per upstream, shared by every job of the silo that calls it: when an upstream keeps
/// failing, batches stop hammering it and fail fast until the break ends.
/// </summary>
public sealed class UpstreamCircuits(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _circuits = new(StringComparer.Ordinal);

    /// <summary>The breaker of <paramref name="upstream"/>, or an empty pipeline for database-only jobs.</summary>
    public ResiliencePipeline For(string? upstream) => upstream is null
        ? ResiliencePipeline.Empty
        : _circuits.GetOrAdd(upstream, _ => new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                // Bad data is the batch's fault, not the upstream's.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not PermanentBatchException and not OperationCanceledException),
            })
            .Build());
}
