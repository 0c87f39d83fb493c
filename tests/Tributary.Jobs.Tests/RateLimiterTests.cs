namespace Tributary.Jobs.Tests;

/// <summary>The shared token bucket, on fake time: exact waits, pauses for Retry-After.</summary>
public sealed class RateLimiterTests
{
    private static readonly Dictionary<string, string> TwoPerSecond = new()
    {
        ["RateLimits:sim:PermitsPerSecond"] = "2",
        ["RateLimits:sim:Burst"] = "1",
        ["RateLimits:bursty:PermitsPerSecond"] = "1",
        ["RateLimits:bursty:Burst"] = "3",
    };

    [Fact]
    public async Task Reservations_are_spaced_by_the_rate_in_call_order()
    {
        await using var cluster = await JobTestCluster.StartAsync("rate", TwoPerSecond, fakeTime: true);
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("sim"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await limiter.Reserve());
        }

        JobTestCluster.FakeTime!.Advance(TimeSpan.FromSeconds(1));
        waits.Add(await limiter.Reserve());

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)], waits);
        Assert.Equal(4, (await limiter.GetState()).Granted);
    }

    [Fact]
    public async Task A_burst_is_granted_at_once_then_the_rate_applies()
    {
        await using var cluster = await JobTestCluster.StartAsync("burst", TwoPerSecond, fakeTime: true);
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("bursty"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            waits.Add(await limiter.Reserve());
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
    }

    [Fact]
    public async Task Retry_after_pauses_every_caller_until_it_has_passed()
    {
        await using var cluster = await JobTestCluster.StartAsync("pause", TwoPerSecond, fakeTime: true);
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("sim"));
        var now = JobTestCluster.FakeTime!.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, await limiter.Reserve());
        await limiter.PauseUntil(now + TimeSpan.FromSeconds(10));
        var first = await limiter.Reserve();
        var second = await limiter.Reserve();

        Assert.Equal(TimeSpan.FromSeconds(10), first);
        Assert.Equal(TimeSpan.FromSeconds(10.5), second);
        Assert.Equal(now + TimeSpan.FromSeconds(10), (await limiter.GetState()).PausedUntil);
    }

    [Fact]
    public async Task An_upstream_without_a_limit_only_honours_pauses()
    {
        await using var cluster = await JobTestCluster.StartAsync("unlimited", TwoPerSecond, fakeTime: true);
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("free"));
        var now = JobTestCluster.FakeTime!.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, await limiter.Reserve());
        Assert.Equal(TimeSpan.Zero, await limiter.Reserve());
        await limiter.PauseUntil(now + TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), await limiter.Reserve());
    }
}
