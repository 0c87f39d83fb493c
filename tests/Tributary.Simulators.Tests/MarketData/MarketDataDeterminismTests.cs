namespace Tributary.Simulators.Tests.MarketData;

/// <summary>Same seed and day, same bytes: in separate instances and, through pinned values, across processes.</summary>
public sealed class MarketDataDeterminismTests
{
    private const string Quotes = "quotes?symbols=AAPL,MSFT,NESN.SW,FT0042";
    private const string Indices = "indices?symbols=SPX,^GSPC,SMI";
    private const string History = "history?symbols=AAPL,FT0042&from=2016-11-13&to=2026-11-20";

    [Fact]
    public async Task TwoInstancesServeByteIdenticalReplies()
    {
        await using var first = await MarketDataInstance.StartAsync();
        await using var second = await MarketDataInstance.StartAsync();

        // Asked in different orders, so a generator sharing state between series would show.
        var firstHistory = await first.GetBytesAsync(History);
        var firstQuotes = await first.GetBytesAsync(Quotes);
        var firstIndices = await first.GetBytesAsync(Indices);
        var secondIndices = await second.GetBytesAsync(Indices);
        var secondQuotes = await second.GetBytesAsync(Quotes);
        var secondHistory = await second.GetBytesAsync(History);

        Assert.Equal(firstQuotes, secondQuotes);
        Assert.Equal(firstIndices, secondIndices);
        Assert.Equal(firstHistory, secondHistory);
    }

    [Fact]
    public async Task AHistoryWindowMatchesTheSameDaysOfALongerOne()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var week = await feed.GetJsonAsync("history?symbols=AAPL&from=2021-03-01&to=2021-03-05");
        var decade = await feed.GetJsonAsync("history?symbols=AAPL&from=2016-11-13&to=2026-11-20");

        var weekDays = Closes(week);
        var sameDays = Closes(decade).Where(day => string.CompareOrdinal(day.Date, "2021-03-01") >= 0 && string.CompareOrdinal(day.Date, "2021-03-05") <= 0);
        Assert.Equal(weekDays, sameDays);
        Assert.Equal(5, weekDays.Count);
    }

    [Fact]
    public async Task ADifferentDataSeedGivesDifferentPrices()
    {
        await using var seeded1 = await MarketDataInstance.StartAsync();
        await using var seeded2 = await MarketDataInstance.StartAsync("Simulators:MarketData:DataSeed=2");

        Assert.NotEqual(await seeded1.GetBytesAsync(Quotes), await seeded2.GetBytesAsync(Quotes));
    }

    /// <remarks>
    /// Two instances in one process would agree even if the symbol hash were per-process randomized
    /// (<c>string.GetHashCode</c>); values pinned in source catch that. When the walk changes on purpose, update them.
    /// </remarks>
    [Fact]
    public async Task PricesMatchThePinnedValuesOfTheDefaultSeed()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var quotes = await feed.GetJsonAsync("quotes?symbols=AAPL,NESN.SW");
        var indices = await feed.GetJsonAsync("indices?symbols=^GSPC");
        var history = await feed.GetJsonAsync("history?symbols=AAPL&from=2024-01-01&to=2024-01-03");

        Assert.Equal(
            """[{"symbol":"AAPL","price":153.82,"currency":"USD","asOf":"2026-11-25"},{"symbol":"NESN.SW","price":24.65,"currency":"CHF","asOf":"2026-11-25"}]""",
            quotes.GetProperty("quotes").GetRawText());
        Assert.Equal("""[{"symbol":"^GSPC","level":14559.06,"asOf":"2026-11-25"}]""", indices.GetProperty("indices").GetRawText());
        Assert.Equal(
            """[{"symbol":"AAPL","days":[{"date":"2024-01-01","close":121.19},{"date":"2024-01-02","close":123.53},{"date":"2024-01-03","close":122.05}]}]""",
            history.GetProperty("history").GetRawText());
    }

    private static List<(string Date, decimal Close)> Closes(System.Text.Json.JsonElement reply) =>
    [
        .. reply.GetProperty("history")[0].GetProperty("days").EnumerateArray()
            .Select(day => (day.GetProperty("date").GetString()!, day.GetProperty("close").GetDecimal())),
    ];
}
