using System.Text.Json;
using Tributary.Testing;

namespace Tributary.Connectors.Tests.MarketData;

/// <summary>
/// Every failure is an <see cref="UpstreamException"/> that says whether a retry can help, how long to wait, and
/// what to do; the key never appears. Faults are injected by the real simulator over loopback.
/// </summary>
public sealed class MarketDataClientFailureTests
{
    [Fact]
    public async Task TooManyRequestsIsTransientWithTheRetryAfterSent()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "marketdata.quotes", kind = "429", count = 1, retryAfterSeconds = 7 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        Assert.Equal(("marketdata", (int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7)), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            "The market-data feed refused GET quotes with 429 Too Many Requests: Too many requests; retry after 7 s. "
            + "The feed is rate limiting this client: wait 7 s (Retry-After) before calling again.",
            failure.Message);
    }

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    public async Task AServerErrorIsTransient(int status, string reason)
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "marketdata.history", kind = "5xx", count = 1, status });

        var failure = await Assert.ThrowsAsync<UpstreamException>(
            () => simulator.Client.GetHistoryAsync(["AAPL"], new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 6), CancellationToken.None));

        Assert.Equal((status, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            $"The market-data feed refused GET history with {status} {reason}: The feed failed with status {status}; try again later. "
            + "This is usually passing: retry later; if it persists, check the feed's status.",
            failure.Message);
    }

    [Fact]
    public async Task AWrongKeyIsPermanentAndTheMessageSaysWhichSettingToFixWithoutTheKey()
    {
        const string wrongKey = "wrong-key-5f2b9c0d";
        await using var simulator = await MarketDataSimulator.StartAsync(new Dictionary<string, string?> { ["MarketData:ApiKey"] = wrongKey });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        Assert.Equal((401, false, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            "The market-data feed refused GET quotes with 401 Unauthorized: The API key in the X-Api-Key header is not valid for this feed. "
            + "The feed refused the API key. Set MarketData:ApiKey to a key the feed accepts; retrying will not help.",
            failure.Message);
        Assert.DoesNotContain(wrongKey, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(MarketDataSimulator.ApiKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadRequestIsPermanentAndQuotesTheFeedsReason()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(
            () => simulator.Client.GetHistoryAsync(["AAPL"], new DateOnly(1969, 12, 20), new DateOnly(1970, 1, 9), CancellationToken.None));

        Assert.Equal((400, false), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "The market-data feed refused GET history with 400 Bad Request: from must be from 1970-01-01 to 2149-06-06; was 1969-12-20. "
            + "The request itself is wrong (symbols or date range); fix it, retrying will not help.",
            failure.Message);
    }

    [Fact]
    public async Task AWrongBaseUrlIsAPermanentNotFound()
    {
        await using var probe = await MarketDataSimulator.StartAsync();
        await using var simulator = await MarketDataSimulator.StartAsync(
            new Dictionary<string, string?> { ["MarketData:BaseUrl"] = new Uri(probe.Address, "marketdata/v2/").ToString() });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        Assert.Equal((404, false), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "The market-data feed refused GET quotes with 404 Not Found. "
            + "Check that MarketData:BaseUrl is the feed's API root (such as http://127.0.0.1:5090/marketdata/v1/); retrying will not help.",
            failure.Message);
    }

    [Fact]
    public async Task AMalformedBodyIsTransient()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "marketdata.quotes", kind = "malformed", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL", "MSFT"], CancellationToken.None));

        Assert.Equal((200, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.IsAssignableFrom<JsonException>(failure.InnerException);
        Assert.StartsWith("The market-data feed answered GET quotes with a body that is not the expected JSON (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "). This is usually a truncated reply: retry later; if it persists, the feed's format has changed and this client needs updating.",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionResetIsTransientWithoutStatus()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "marketdata.indices", kind = "reset", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetIndexLevelsAsync(["SMI"], CancellationToken.None));
        var next = await simulator.Client.GetIndexLevelsAsync(["SMI"], CancellationToken.None);

        Assert.Equal(((int?)null, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.StartsWith($"The connection to the market-data feed at {simulator.Address.GetLeftPart(UriPartial.Authority)} failed during GET indices (", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["SMI"], next.Found.Select(level => level.Symbol));
    }

    [Fact]
    public async Task NoFeedListeningIsTransientWithoutStatus()
    {
        var port = FreePorts.Next();
        await using var simulator = await MarketDataSimulator.StartAsync(
            new Dictionary<string, string?> { ["MarketData:BaseUrl"] = $"http://127.0.0.1:{port}/marketdata/v1/" });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        Assert.Equal(((int?)null, true), (failure.StatusCode, failure.IsTransient));
        Assert.EndsWith("This is usually passing: retry later; if it persists, check MarketData:BaseUrl and that the feed is up.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallSlowerThanTheTimeoutIsTransientWithoutStatus()
    {
        await using var simulator = await MarketDataSimulator.StartAsync(new Dictionary<string, string?> { ["MarketData:Timeout"] = "00:00:00.300" });
        await simulator.AddFaultAsync(new { route = "marketdata.quotes", kind = "latency", count = 1, latencyMs = 30_000 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        Assert.Equal(((int?)null, true), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "The market-data feed did not answer GET quotes within 0.3 s (MarketData:Timeout). "
            + "This is usually passing: retry later; if the feed is just slow, raise MarketData:Timeout.",
            failure.Message);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotAnUpstreamFailure()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => simulator.Client.GetQuotesAsync(["AAPL"], cancelled.Token));
    }

    [Fact]
    public async Task AFailureIsNotRetriedByTheConnector()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "marketdata.quotes", kind = "5xx", count = 1 });

        await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetQuotesAsync(["AAPL"], CancellationToken.None));

        var call = Assert.Single(await simulator.GetRequestLogAsync());
        Assert.Equal((503, "5xx"), (call.Status, call.Fault));
    }
}
