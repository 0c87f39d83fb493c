namespace Tributary.Connectors.Tests.MarketData;

/// <summary>
/// A clock whose UTC "now" is fixed, so the simulator's "latest" prices cannot change under a test at midnight;
/// timers and timestamps stay real.
/// </summary>
public sealed class FixedClock(DateTimeOffset utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => utcNow;
}
