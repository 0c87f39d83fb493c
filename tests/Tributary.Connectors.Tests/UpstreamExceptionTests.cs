using System.Net.Http.Headers;

namespace Tributary.Connectors.Tests;

/// <summary>The shared helpers every connector uses to classify a failed reply.</summary>
public sealed class UpstreamExceptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public void RetryAfterInSecondsIsThatManySeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(7), UpstreamException.ParseRetryAfter(RetryConditionHeaderValue.Parse("7"), Now));

    [Fact]
    public void RetryAfterAsAnHttpDateIsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(90), UpstreamException.ParseRetryAfter(RetryConditionHeaderValue.Parse("Wed, 25 Nov 2026 14:31:30 GMT"), Now));

    [Fact]
    public void RetryAfterInThePastIsNoWait() =>
        Assert.Equal(TimeSpan.Zero, UpstreamException.ParseRetryAfter(RetryConditionHeaderValue.Parse("Wed, 25 Nov 2026 14:29:00 GMT"), Now));

    [Fact]
    public void NoRetryAfterIsNull() =>
        Assert.Null(UpstreamException.ParseRetryAfter(null, Now));

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(599, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    public void TransientStatusesAre408And429And5xx(int status, bool transient) =>
        Assert.Equal(transient, UpstreamException.IsTransientStatus(status));
}
