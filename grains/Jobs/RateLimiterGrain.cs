using Microsoft.Extensions.Configuration;

namespace Tributary.Jobs;

/// <inheritdoc cref="IRateLimiterGrain"/>
/// <remarks>
/// A generic cell-rate algorithm: each permit takes 1/rate seconds of the "theoretical arrival time", and
/// up to Burst permits may be taken ahead of it. Reservations are handed out in call order, so the
/// aggregate rate of every caller on every silo stays within the limit. The limit comes from
/// <c>RateLimits:{upstream}:PermitsPerSecond</c> and <c>:Burst</c>, else from the <see cref="RateLimitDefault"/> a domain
/// registered for the key; neither means no limit (Retry-After
/// pauses still apply). State is in memory: after a reactivation the bucket starts full, never over the limit
/// for more than one burst.
/// </remarks>
[GrainType("ratelimiter")]
public sealed class RateLimiterGrain(IConfiguration configuration, IEnumerable<RateLimitDefault> defaults, TimeProvider time) : Grain, IRateLimiterGrain
{
    private double _permitsPerSecond;
    private int _burst = 1;
    private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;
    private DateTimeOffset? _pausedUntil;
    private long _granted;
    private bool _fromCompletion;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var fallback = defaults.LastOrDefault(d => d.Key == key);
        var section = configuration.GetSection($"RateLimits:{RateLimitKey.UpstreamOf(key)}");
        _permitsPerSecond = section.GetValue("PermitsPerSecond", fallback?.PermitsPerSecond ?? 0.0);
        _burst = Math.Max(1, section.GetValue("Burst", fallback?.Burst ?? 1));
        _fromCompletion = section.GetValue("SpaceFromCompletion", fallback?.SpaceFromCompletion ?? false);
        return Task.CompletedTask;
    }

    public Task<TimeSpan> Reserve(int permits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        var now = time.GetUtcNow();
        var earliest = _pausedUntil is { } paused && paused > now ? paused : now;
        DateTimeOffset grant;
        if (_permitsPerSecond <= 0)
        {
            grant = earliest;
        }
        else
        {
            var interval = TimeSpan.FromSeconds(1 / _permitsPerSecond);
            var tolerance = interval * (_burst - 1);
            var arrival = _theoreticalArrival > earliest ? _theoreticalArrival : earliest;
            grant = arrival - tolerance > earliest ? arrival - tolerance : earliest;
            _theoreticalArrival = (arrival > grant ? arrival : grant) + interval * permits;
        }

        _granted += permits;
        return Task.FromResult(grant - now);
    }

    public Task Completed(DateTimeOffset at)
    {
        if (_fromCompletion && _permitsPerSecond > 0)
        {
            // The upstream saw the call arrive at some time before its reply ended: spacing from the end is the only
            // way to be sure it sees the next call at least one interval later, whatever the connection did.
            var next = at + TimeSpan.FromSeconds(1 / _permitsPerSecond);
            if (_theoreticalArrival < next)
            {
                _theoreticalArrival = next;
            }
        }

        return Task.CompletedTask;
    }

    public Task PauseUntil(DateTimeOffset until)
    {
        if (_pausedUntil is null || until > _pausedUntil)
        {
            _pausedUntil = until;
        }

        // Slots handed out before the pause must not land inside it either.
        if (_theoreticalArrival < until)
        {
            _theoreticalArrival = until;
        }

        return Task.CompletedTask;
    }

    public Task<RateLimitState> GetState()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(new RateLimitState(_permitsPerSecond, _burst, _pausedUntil > now ? _pausedUntil : null, _granted, _fromCompletion));
    }
}
