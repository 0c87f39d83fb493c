namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>A UTC clock the test moves by hand, so token, code, consent and SCA expiry are tested without waiting.</summary>
public sealed class ManualClock(DateTimeOffset utcNow) : TimeProvider
{
    private long _ticks = utcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
