using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests.MarketData;

/// <summary>The shared fault layer applies to every feed route, with the feed's JSON error body, and the request log records it.</summary>
public sealed class MarketDataFaultTests
{
    public static TheoryData<string, string> Routes => new()
    {
        { "marketdata.quotes", "quotes?symbols=AAPL" },
        { "marketdata.indices", "indices?symbols=SPX" },
        { "marketdata.history", "history?symbols=AAPL&from=2026-11-23&to=2026-11-24" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ATooManyRequestsFaultIsSentWithRetryAfterAndLogged(string route, string pathAndQuery)
    {
        await using var feed = await MarketDataInstance.StartAsync();
        await feed.AddFaultAsync(new { route, kind = "429", count = 1, retryAfterSeconds = 7 });

        using var limited = await feed.GetAsync(pathAndQuery);
        using var next = await feed.GetAsync(pathAndQuery);
        var log = await feed.GetRequestLogAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"error":"rate_limited","message":"Too many requests; retry after 7 s."}""", await limited.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var path = $"/marketdata/v1/{pathAndQuery}";
        Assert.Equal(
            [(route, path, (int?)429, (string?)"429"), (route, path, 200, null)],
            log.Select(entry => (entry.Route, entry.PathAndQuery, entry.Status, entry.Fault)));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AServerErrorFaultSendsTheStatusWithAJsonBody(string route, string pathAndQuery)
    {
        await using var feed = await MarketDataInstance.StartAsync();
        await feed.AddFaultAsync(new { route, kind = "5xx", count = 1, status = 502 });

        using var failed = await feed.GetAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(
            """{"error":"unavailable","message":"The feed failed with status 502; try again later."}""",
            await failed.Content.ReadAsStringAsync());
        var entry = Assert.Single(await feed.GetRequestLogAsync($"?route={route}"));
        Assert.Equal((502, "5xx"), (entry.Status, entry.Fault));
    }

    [Fact]
    public async Task AMalformedFaultSendsHalfTheRealReply()
    {
        await using var feed = await MarketDataInstance.StartAsync();
        var whole = await feed.GetBytesAsync("quotes?symbols=AAPL,MSFT");
        await feed.AddFaultAsync(new { route = "marketdata.quotes", kind = "malformed", count = 1 });

        using var response = await feed.GetAsync("quotes?symbols=AAPL,MSFT");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(whole[..(whole.Length / 2)], body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        Assert.Equal("malformed", (await feed.GetRequestLogAsync())[^1].Fault);
    }

    [Fact]
    public async Task AResetFaultDropsTheConnectionAndIsLoggedWithoutStatus()
    {
        await using var feed = await MarketDataInstance.StartAsync();
        await feed.AddFaultAsync(new { route = "marketdata.indices", kind = "reset", count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => feed.GetAsync("indices?symbols=SPX"));
        using var next = await feed.GetAsync("indices?symbols=SPX");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(
            [("marketdata.indices", (int?)null, (string?)"reset"), ("marketdata.indices", 200, null)],
            (await feed.GetRequestLogAsync()).Select(entry => (entry.Route, entry.Status, entry.Fault)));
    }

    [Fact]
    public async Task AnUnauthenticatedCallIsLoggedUnderItsRoute()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        (await feed.GetAsync("history?symbols=AAPL&from=2026-11-23&to=2026-11-24", apiKey: null)).Dispose();

        var entry = Assert.Single(await feed.GetRequestLogAsync());
        Assert.Equal(("marketdata.history", (int?)401, (string?)null), (entry.Route, entry.Status, entry.Fault));
    }
}
