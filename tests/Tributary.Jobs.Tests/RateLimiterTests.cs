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
        ["RateLimits:spaced:PermitsPerSecond"] = "1",
        ["RateLimits:spaced:SpaceFromCompletion"] = "true",
    };

    [Fact]
    public async Task A_limiter_spacing_from_completion_counts_the_interval_from_the_end_of_the_previous_call()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("spaced", o => o.WithTestJobs().WithSettings(TwoPerSecond).WithFakeTime(TestJobs.Start));
        var spaced = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("spaced"));
        var plain = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("sim"));
        var time = cluster.Time;

        var first = await spaced.Reserve();
        await plain.Reserve();
        // The call took 300 ms to answer: the next may start 1 s after that, not 1 s after it started.
        time.Advance(TimeSpan.FromMilliseconds(300));
        await spaced.Completed(time.GetUtcNow());
        await plain.Completed(time.GetUtcNow());
        var second = await spaced.Reserve();
        var plainSecond = await plain.Reserve();

        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(1)), (first, second));
        Assert.Equal(TimeSpan.FromMilliseconds(200), plainSecond);
        Assert.True((await spaced.GetState()).SpacedFromCompletion);
        Assert.False((await plain.GetState()).SpacedFromCompletion);
    }

    [Fact]
    public async Task Reservations_are_spaced_by_the_rate_in_call_order()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("rate", o => o.WithTestJobs().WithSettings(TwoPerSecond).WithFakeTime(TestJobs.Start));
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("sim"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await limiter.Reserve());
        }

        cluster.Time.Advance(TimeSpan.FromSeconds(1));
        waits.Add(await limiter.Reserve());

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)], waits);
        Assert.Equal(4, (await limiter.GetState()).Granted);
    }

    [Fact]
    public async Task A_burst_is_granted_at_once_then_the_rate_applies()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("burst", o => o.WithTestJobs().WithSettings(TwoPerSecond).WithFakeTime(TestJobs.Start));
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
        await using var cluster = await TributaryTestCluster.StartAsync("pause", o => o.WithTestJobs().WithSettings(TwoPerSecond).WithFakeTime(TestJobs.Start));
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("sim"));
        var now = cluster.Time.GetUtcNow();

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
        await using var cluster = await TributaryTestCluster.StartAsync("unlimited", o => o.WithTestJobs().WithSettings(TwoPerSecond).WithFakeTime(TestJobs.Start));
        var limiter = cluster.Grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("free"));
        var now = cluster.Time.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, await limiter.Reserve());
        Assert.Equal(TimeSpan.Zero, await limiter.Reserve());
        await limiter.PauseUntil(now + TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), await limiter.Reserve());
    }
}
