using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Jobs;

/// <summary>
/// A domain's own limit for one rate limiter (key <see cref="RateLimitKey.For"/>), such as WealthX's minimum interval
/// between calls; <c>RateLimits:{upstream}:*</c> in configuration overrides it.
/// </summary>
/// <param name="SpaceFromCompletion">
/// Measure the interval from the end of a call (its reply read, <see cref="IRateLimiterGrain.Completed"/>) to the
/// start of the next, not from start to start: the upstream then never sees two calls closer than the interval, even
/// when one spent time connecting before it arrived. Configuration: <c>RateLimits:{upstream}:SpaceFromCompletion</c>.
/// </param>
public sealed record RateLimitDefault(string Key, double PermitsPerSecond, int Burst = 1, bool SpaceFromCompletion = false)
{
    /// <summary>One call at a time, the next starting at least <paramref name="interval"/> after the previous one ended.</summary>
    public static RateLimitDefault OneCallAfter(string key, TimeSpan interval) =>
        new(key, interval > TimeSpan.Zero ? 1 / interval.TotalSeconds : 0, Burst: 1, SpaceFromCompletion: true);
}

/// <summary>Registers <see cref="RateLimitDefault"/>s.</summary>
public static class RateLimitDefaultExtensions
{
    public static IServiceCollection AddRateLimitDefault(this IServiceCollection services, RateLimitDefault limit)
    {
        services.AddSingleton(limit);
        return services;
    }
}
