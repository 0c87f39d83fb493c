namespace Tributary.Simulators.Tests.MarketData;

/// <summary>
/// A clock whose UTC "now" is fixed, so "latest" quotes do not change under a test at midnight; timers and
/// timestamps stay real, so injected latency still elapses.
/// </summary>
public sealed class FixedClock(DateTimeOffset utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => utcNow;
}
