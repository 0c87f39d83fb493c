using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Tributary.Jobs.Tests;

/// <summary>The rate limiter's arithmetic alone, on fake time: no cluster, exact waits.</summary>
public sealed class RateLimitBucketTests
{
    private static readonly string[] Upstreams = ["sim", "wealthx", "free"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Reservations_are_spaced_by_the_rate_in_call_order_and_idle_time_refills_the_bucket()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 2);

        var waits = new List<TimeSpan> { Reserve(bucket), Reserve(bucket), Reserve(bucket) };
        _time.Advance(TimeSpan.FromSeconds(1));
        waits.Add(Reserve(bucket));
        _time.Advance(TimeSpan.FromSeconds(10));
        waits.Add(Reserve(bucket));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), TimeSpan.Zero], waits);
        Assert.Equal(5, bucket.Granted);
    }

    [Fact]
    public void A_burst_is_granted_at_once_then_the_rate_applies_and_it_refills_at_the_rate()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 1, burst: 3);

        var first = Enumerable.Range(0, 5).Select(_ => Reserve(bucket)).ToList();
        // The fifth took the bucket 5 s ahead of its start; 4 s later it is 1 s ahead: two permits free, not three.
        _time.Advance(TimeSpan.FromSeconds(4));
        var later = Enumerable.Range(0, 3).Select(_ => Reserve(bucket)).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], first);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1)], later);
    }

    [Fact]
    public void Several_permits_at_once_take_as_many_intervals()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 4);

        var waits = new[] { Reserve(bucket, 3), Reserve(bucket, 1), Reserve(bucket, 2) };

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(750), TimeSpan.FromSeconds(1)], waits);
        Assert.Equal(6, bucket.Granted);
        Assert.Throws<ArgumentOutOfRangeException>(() => bucket.Reserve(_time.GetUtcNow(), 0));
        Assert.Equal(6, bucket.Granted);
    }

    [Fact]
    public void Retry_after_pauses_every_caller_until_it_has_passed_and_a_shorter_pause_does_not_shorten_it()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 2);
        var now = _time.GetUtcNow();

        Assert.Equal(TimeSpan.Zero, Reserve(bucket));
        bucket.PauseUntil(now + TimeSpan.FromSeconds(10));
        bucket.PauseUntil(now + TimeSpan.FromSeconds(4));
        var waits = new[] { Reserve(bucket), Reserve(bucket) };

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.5)], waits);
        Assert.Equal(now + TimeSpan.FromSeconds(10), bucket.State(now).PausedUntil);
        Assert.Null(bucket.State(now + TimeSpan.FromSeconds(10)).PausedUntil);
    }

    [Fact]
    public void Callers_during_a_pause_get_the_burst_at_its_end_then_the_rate()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 1, burst: 2);
        var now = _time.GetUtcNow();
        var before = new[] { Reserve(bucket), Reserve(bucket) };

        bucket.PauseUntil(now + TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(1));
        var during = new[] { Reserve(bucket), Reserve(bucket), Reserve(bucket) };

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], before);
        Assert.Equal([TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], during);
    }

    [Fact]
    public void Spacing_from_completion_counts_the_interval_from_the_end_of_the_previous_call()
    {
        var spaced = new RateLimitBucket(permitsPerSecond: 1, spaceFromCompletion: true);
        var plain = new RateLimitBucket(permitsPerSecond: 2);

        var first = Reserve(spaced);
        Reserve(plain);
        // The call took 300 ms to answer: the next may start 1 s after that, not 1 s after it started.
        _time.Advance(TimeSpan.FromMilliseconds(300));
        spaced.Completed(_time.GetUtcNow());
        plain.Completed(_time.GetUtcNow());
        var second = Reserve(spaced);
        var plainSecond = Reserve(plain);
        // A completion reported late (before the slot already granted) moves nothing.
        spaced.Completed(_time.GetUtcNow());
        var third = Reserve(spaced);

        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), (first, second, third));
        Assert.Equal(TimeSpan.FromMilliseconds(200), plainSecond);
        Assert.True(spaced.State(_time.GetUtcNow()).SpacedFromCompletion);
        Assert.False(plain.State(_time.GetUtcNow()).SpacedFromCompletion);
    }

    [Fact]
    public void Without_a_limit_only_pauses_apply()
    {
        var bucket = new RateLimitBucket(permitsPerSecond: 0, spaceFromCompletion: true);
        var now = _time.GetUtcNow();

        var waits = new List<TimeSpan> { Reserve(bucket), Reserve(bucket) };
        bucket.Completed(now);
        waits.Add(Reserve(bucket));
        bucket.PauseUntil(now + TimeSpan.FromSeconds(3));
        waits.Add(Reserve(bucket));
        waits.Add(Reserve(bucket));

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], waits);
        Assert.Equal(new RateLimitState(0, 1, now + TimeSpan.FromSeconds(3), 5, true), bucket.State(now));
    }

    [Fact]
    public void The_limit_comes_from_configuration_else_from_the_domains_default_else_none()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimits:sim:PermitsPerSecond"] = "2",
            ["RateLimits:sim:Burst"] = "0",
            ["RateLimits:wealthx:Burst"] = "4",
        }).Build();
        RateLimitDefault[] defaults =
        [
            new(RateLimitKey.For("wealthx"), 5, Burst: 2),
            RateLimitDefault.OneCallAfter(RateLimitKey.For("wealthx"), TimeSpan.FromMilliseconds(250)),
            new(RateLimitKey.For("wealthx", "other"), 7),
        ];
        var now = _time.GetUtcNow();

        var states = Upstreams
            .Select(upstream => RateLimitBucket.For(RateLimitKey.For(upstream), configuration, defaults).State(now))
            .ToList();

        // sim: configuration alone, a burst below 1 counts as 1. wealthx: the last default for the key, its burst
        // overridden by configuration. free: nothing configured, no limit.
        Assert.Equal(
            [new RateLimitState(2, 1, null, 0), new RateLimitState(4, 4, null, 0, true), new RateLimitState(0, 1, null, 0)],
            states);
    }

    private TimeSpan Reserve(RateLimitBucket bucket, int permits = 1) => bucket.Reserve(_time.GetUtcNow(), permits);
}
