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
                // Only the upstream's own failures count: bad data is the batch's fault, and our database's outage
                // (or any other error of ours) must never break the circuit of a healthy upstream.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsUpstreamFailure),
            })
            .Build());

    /// <summary>Failures that say the upstream is unwell: its transient errors (5xx, 429, timeouts, resets), nothing of ours.</summary>
    public static bool IsUpstreamFailure(Exception exception) => exception switch
    {
        Connectors.UpstreamException upstream => upstream.IsTransient,
        HttpRequestException or Polly.Timeout.TimeoutRejectedException => true,
        _ => false,
    };
}
