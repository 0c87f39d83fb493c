using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Jobs;

/// <summary>
/// A domain's own limit for one rate limiter (key <see cref="RateLimitKey.For"/>), such as WealthX's minimum interval
/// between calls; <c>RateLimits:{upstream}:*</c> in configuration overrides it.
/// </summary>
public sealed record RateLimitDefault(string Key, double PermitsPerSecond, int Burst = 1)
{
    /// <summary>One call per <paramref name="interval"/>, never two at once.</summary>
    public static RateLimitDefault OneCallPer(string key, TimeSpan interval) =>
        new(key, interval > TimeSpan.Zero ? 1 / interval.TotalSeconds : 0, Burst: 1);
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
