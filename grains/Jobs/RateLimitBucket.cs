using Microsoft.Extensions.Configuration;

namespace Tributary.Jobs;

/// <summary>
/// The arithmetic of one rate limit, apart from the grain that shares it across silos: which slot a caller gets,
/// how a burst is granted, how Retry-After pauses and spacing from the end of a call move the next slot. It reads no
/// clock; every method takes the instant it acts at, so it is exact under test.
/// </summary>
/// <remarks>
/// A generic cell-rate algorithm: each permit takes 1/rate seconds of the "theoretical arrival time", and up to
/// <see cref="Burst"/> permits may be taken ahead of it. Reservations are handed out in call order, so callers that
/// share one bucket stay within the limit together. A rate of 0 means no limit; pauses still apply.
/// Not thread-safe: its owner (a grain) calls it one call at a time.
/// </remarks>
public sealed class RateLimitBucket
{
    private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;
    private DateTimeOffset? _pausedUntil;

    /// <param name="permitsPerSecond">The rate; 0 or less is no limit.</param>
    /// <param name="burst">Permits that may be taken at once; less than 1 counts as 1.</param>
    /// <param name="spaceFromCompletion">Count the interval from the end of the previous call (<see cref="Completed"/>).</param>
    public RateLimitBucket(double permitsPerSecond, int burst = 1, bool spaceFromCompletion = false)
    {
        PermitsPerSecond = permitsPerSecond;
        Burst = Math.Max(1, burst);
        SpaceFromCompletion = spaceFromCompletion;
    }

    public double PermitsPerSecond { get; }

    public int Burst { get; }

    public bool SpaceFromCompletion { get; }

    /// <summary>Permits handed out so far.</summary>
    public long Granted { get; private set; }

    /// <summary>
    /// The limit for a limiter key: <c>RateLimits:{upstream}:PermitsPerSecond</c>, <c>:Burst</c> and
    /// <c>:SpaceFromCompletion</c>, else the last <see cref="RateLimitDefault"/> registered for the key, else no limit.
    /// </summary>
    public static RateLimitBucket For(string key, IConfiguration configuration, IEnumerable<RateLimitDefault> defaults)
    {
        var fallback = defaults.LastOrDefault(d => d.Key == key);
        var section = configuration.GetSection($"RateLimits:{RateLimitKey.UpstreamOf(key)}");
        return new RateLimitBucket(
            section.GetValue("PermitsPerSecond", fallback?.PermitsPerSecond ?? 0.0),
            section.GetValue("Burst", fallback?.Burst ?? 1),
            section.GetValue("SpaceFromCompletion", fallback?.SpaceFromCompletion ?? false));
    }

    /// <summary>Reserves <paramref name="permits"/> at <paramref name="now"/>; returns how long the caller must wait before using them.</summary>
    public TimeSpan Reserve(DateTimeOffset now, int permits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        var earliest = _pausedUntil is { } paused && paused > now ? paused : now;
        DateTimeOffset grant;
        if (PermitsPerSecond <= 0)
        {
            grant = earliest;
        }
        else
        {
            var interval = Interval;
            var tolerance = interval * (Burst - 1);
            var arrival = _theoreticalArrival > earliest ? _theoreticalArrival : earliest;
            grant = arrival - tolerance > earliest ? arrival - tolerance : earliest;
            _theoreticalArrival = (arrival > grant ? arrival : grant) + interval * permits;
        }

        Granted += permits;
        return grant - now;
    }

    /// <summary>A caller's call ended at <paramref name="at"/>: when spacing from completion, no slot before <paramref name="at"/> plus one interval.</summary>
    public void Completed(DateTimeOffset at)
    {
        if (SpaceFromCompletion && PermitsPerSecond > 0)
        {
            // The upstream saw the call arrive at some time before its reply ended: spacing from the end is the only
            // way to be sure it sees the next call at least one interval later, whatever the connection did.
            var next = at + Interval;
            if (_theoreticalArrival < next)
            {
                _theoreticalArrival = next;
            }
        }
    }

    /// <summary>The upstream said Retry-After: nobody gets a slot before <paramref name="until"/>. A shorter pause never shortens a longer one.</summary>
    public void PauseUntil(DateTimeOffset until)
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
    }

    /// <summary>The end of the latest pause, passed or not; null when none ever began.</summary>
    public DateTimeOffset? LastPauseUntil => _pausedUntil;

    /// <summary>The limit in force at <paramref name="now"/>; a pause that has passed shows as none.</summary>
    public RateLimitState State(DateTimeOffset now) =>
        new(PermitsPerSecond, Burst, _pausedUntil > now ? _pausedUntil : null, Granted, SpaceFromCompletion);

    private TimeSpan Interval => TimeSpan.FromSeconds(1 / PermitsPerSecond);
}
