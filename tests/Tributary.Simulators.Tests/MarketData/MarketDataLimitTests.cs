using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests.MarketData;

/// <summary>At most 100 symbols and 3,660 days a call; every refusal is a 400 whose JSON says why.</summary>
public sealed class MarketDataLimitTests
{
    private const string Week = "from=2026-11-16&to=2026-11-20";

    [Theory]
    [InlineData("quotes?symbols={0}")]
    [InlineData("indices?symbols={0}")]
    [InlineData("history?symbols={0}&" + Week)]
    public async Task HundredSymbolsAreServedAndHundredAndOneRefused(string template)
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var hundred = await feed.GetAsync(string.Format(template, MarketDataInstance.Symbols(100)));
        using var hundredAndOne = await feed.GetAsync(string.Format(template, MarketDataInstance.Symbols(101)));

        Assert.Equal(HttpStatusCode.OK, hundred.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hundredAndOne.StatusCode);
        Assert.Equal(
            """{"error":"too_many_symbols","message":"Requested 101 symbols; at most 100 per call."}""",
            await hundredAndOne.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RepeatedSymbolsParametersCountTogether()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync($"quotes?symbols={MarketDataInstance.Symbols(60)}&symbols={MarketDataInstance.Symbols(41)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Requested 101 symbols", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryServes3660DaysAndRefuses3661()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var longest = await feed.GetAsync("history?symbols=AAPL&from=2016-11-13&to=2026-11-20");
        using var tooLong = await feed.GetAsync("history?symbols=AAPL&from=2016-11-12&to=2026-11-20");

        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(
            """{"error":"range_too_large","message":"Requested 3661 days (from=2016-11-12, to=2026-11-20); at most 3660 per call."}""",
            await tooLong.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("quotes", "missing_parameter", "symbols is required: a comma-separated list of 1 to 100 symbols, such as symbols=AAPL,MSFT.")]
    [InlineData("quotes?symbols=", "missing_parameter", "symbols is required: a comma-separated list of 1 to 100 symbols, such as symbols=AAPL,MSFT.")]
    [InlineData("indices?symbols=SPX,,DJI", "invalid_parameter", "symbols must not contain empty entries; entry 2 is empty.")]
    [InlineData("history?symbols=AAPL&to=2026-11-20", "missing_parameter", "from is required: the first day of the range, inclusive, as yyyy-MM-dd.")]
    [InlineData("history?symbols=AAPL&from=2026-11-20", "missing_parameter", "to is required: the last day of the range, inclusive, as yyyy-MM-dd.")]
    [InlineData("history?symbols=AAPL&from=20.11.2026&to=2026-11-20", "invalid_parameter", "from must be a date in yyyy-MM-dd form; was '20.11.2026'.")]
    [InlineData("history?symbols=AAPL&from=2026-11-20&to=2026-11-19", "invalid_parameter", "from must not be after to; was from=2026-11-20, to=2026-11-19.")]
    [InlineData("history?symbols=AAPL&from=1969-12-31&to=1970-01-09", "invalid_parameter", "from must be from 1970-01-01 to 2149-06-06; was 1969-12-31.")]
    [InlineData("history?symbols=AAPL&from=2026-11-16&from=2026-11-17&to=2026-11-20", "invalid_parameter", "from must be given once; was given 2 times.")]
    public async Task ABadQueryIsA400ThatSaysWhy(string pathAndQuery, string error, string message)
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync(pathAndQuery);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((error, message), (body.GetProperty("error").GetString(), body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AnUnknownPathIsAJson404()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync("prices?symbols=AAPL");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            """{"error":"not_found","message":"No route /marketdata/v1/prices; the feed serves /marketdata/v1/quotes, /indices and /history."}""",
            await response.Content.ReadAsStringAsync());
    }
}
