using Microsoft.Extensions.Configuration;

namespace Tributary.Jobs;

/// <inheritdoc cref="IRateLimiterGrain"/>
/// <remarks>
/// One <see cref="RateLimitBucket"/> per upstream and credential, shared by every caller on every silo because the
/// grain is one activation; the bucket holds the arithmetic, the grain its clock and its limit. The limit comes from
/// <c>RateLimits:{upstream}:PermitsPerSecond</c> and <c>:Burst</c>, else from the <see cref="RateLimitDefault"/> a domain
/// registered for the key; neither means no limit (Retry-After pauses still apply). State is in memory: after a
/// reactivation the bucket starts full, never over the limit for more than one burst.
/// </remarks>
[GrainType("ratelimiter")]
public sealed class RateLimiterGrain(IConfiguration configuration, IEnumerable<RateLimitDefault> defaults, TimeProvider time) : Grain, IRateLimiterGrain
{
    private RateLimitBucket _bucket = new(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bucket = RateLimitBucket.For(this.GetPrimaryKeyString(), configuration, defaults);
        return Task.CompletedTask;
    }

    public Task<TimeSpan> Reserve(int permits = 1) => Task.FromResult(_bucket.Reserve(time.GetUtcNow(), permits));

    public Task Completed(DateTimeOffset at)
    {
        _bucket.Completed(at);
        return Task.CompletedTask;
    }

    public Task PauseUntil(DateTimeOffset until)
    {
        _bucket.PauseUntil(until);
        return Task.CompletedTask;
    }

    public Task<RateLimitState> GetState() => Task.FromResult(_bucket.State(time.GetUtcNow()));

    public Task<DateTimeOffset?> LastPauseUntil() => Task.FromResult(_bucket.LastPauseUntil);
}
