namespace Tributary.Simulators.Tests.MarketData;

/// <summary>History has business days only, inside the range asked, never after the latest business day; "latest" is that day's close.</summary>
public sealed class MarketDataHistoryTests
{
    /// <summary>Saturday 28 November 2026: the latest business day is Friday the 27th.</summary>
    private static readonly DateTimeOffset Saturday = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HistoryHasEveryBusinessDayOfTheRangeAndNoWeekend()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var reply = await feed.GetJsonAsync("history?symbols=AAPL&from=2026-11-06&to=2026-11-16");

        Assert.Equal(
            ["2026-11-06", "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16"],
            Dates(reply, 0));
    }

    [Fact]
    public async Task AWeekendOnlyRangeHasNoDays()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var reply = await feed.GetJsonAsync("history?symbols=AAPL&from=2026-11-14&to=2026-11-15");

        Assert.Equal("""[{"symbol":"AAPL","days":[]}]""", reply.GetProperty("history").GetRawText());
    }

    [Fact]
    public async Task HistoryStopsAtTheLatestBusinessDayAndTheQuoteIsItsClose()
    {
        await using var feed = await MarketDataInstance.StartAsync(Saturday, $"Simulators:MarketData:ApiKey={MarketDataInstance.ApiKey}");

        var history = await feed.GetJsonAsync("history?symbols=AAPL,MSFT&from=2026-11-23&to=2026-12-31");
        var quotes = await feed.GetJsonAsync("quotes?symbols=AAPL,MSFT");
        var future = await feed.GetJsonAsync("history?symbols=AAPL&from=2026-11-28&to=2026-12-31");

        Assert.Equal(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"], Dates(history, 0));
        Assert.Equal(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"], Dates(history, 1));
        for (var i = 0; i < 2; i++)
        {
            var quote = quotes.GetProperty("quotes")[i];
            var lastDay = history.GetProperty("history")[i].GetProperty("days")[4];
            Assert.Equal("2026-11-27", quote.GetProperty("asOf").GetString());
            Assert.Equal(lastDay.GetProperty("close").GetDecimal(), quote.GetProperty("price").GetDecimal());
        }

        Assert.Empty(Dates(future, 0));
    }

    [Fact]
    public async Task EveryCloseOfADecadeIsPositiveWithTwoToFourDecimals()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var reply = await feed.GetJsonAsync($"history?symbols={MarketDataInstance.Symbols(20)}&from=2016-11-13&to=2026-11-20");

        var series = reply.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(20, series.Count);
        foreach (var symbol in series)
        {
            var closes = symbol.GetProperty("days").EnumerateArray().Select(day => day.GetProperty("close").GetDecimal()).ToList();
            Assert.Equal(2615, closes.Count);
            Assert.All(closes, close => Assert.True(close > 0m && Decimals(close) <= (close >= 1m ? 2 : 4), $"{symbol.GetProperty("symbol")}: {close}"));
            Assert.True(closes.Distinct().Count() > 100, $"{symbol.GetProperty("symbol")} barely moves: {closes.Distinct().Count()} distinct closes.");
        }
    }

    private static List<string> Dates(System.Text.Json.JsonElement reply, int index) =>
    [
        .. reply.GetProperty("history")[index].GetProperty("days").EnumerateArray().Select(day => day.GetProperty("date").GetString()!),
    ];

    private static int Decimals(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;
}
