using Tributary.Connectors.MarketData;

namespace Tributary.Connectors.Tests.MarketData;

/// <summary>The connector against the real simulator over loopback: exact values, unknown symbols, chunking.</summary>
public sealed class MarketDataClientTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Fact]
    public async Task QuotesAreTheSimulatorsValuesExactly()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        string[] symbols = ["AAPL", "NESN.SW", "FT0042"];

        var result = await simulator.Client.GetQuotesAsync(symbols, CancellationToken.None);

        var expected = simulator.Feed.Quotes(symbols).Quotes.Select(q => new Quote(q.Symbol, q.Price, q.Currency, q.AsOf));
        Assert.Equal(expected, result.Found);
        Assert.Equal(new Quote("AAPL", 153.82m, "USD", Today), result.Found[0]);
        Assert.Equal(new Quote("NESN.SW", 24.65m, "CHF", Today), result.Found[1]);
        Assert.Empty(result.Unknown);
    }

    [Fact]
    public async Task IndexLevelsAreTheSimulatorsValuesExactly()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        string[] symbols = ["^GSPC", "SMI", "FT0042"];

        var result = await simulator.Client.GetIndexLevelsAsync(symbols, CancellationToken.None);

        var expected = simulator.Feed.Indices(symbols).Indices.Select(i => new IndexLevel(i.Symbol, i.Level, i.AsOf));
        Assert.Equal(expected, result.Found);
        Assert.Equal(new IndexLevel("^GSPC", 14559.06m, Today), result.Found[0]);
        Assert.Equal("/marketdata/v1/indices?symbols=%5EGSPC,SMI,FT0042", Assert.Single(await simulator.GetRequestLogAsync()).PathAndQuery);
    }

    [Fact]
    public async Task HistoryIsTheSimulatorsBusinessDaysExactly()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        string[] symbols = ["AAPL", "FT0042"];
        var from = new DateOnly(2026, 11, 2);
        var to = new DateOnly(2026, 11, 13);

        var result = await simulator.Client.GetHistoryAsync(symbols, from, to, CancellationToken.None);

        var expected = simulator.Feed.History(symbols, from, to).History;
        Assert.Equal(["AAPL", "FT0042"], result.Found.Select(history => history.Symbol));
        for (var i = 0; i < symbols.Length; i++)
        {
            Assert.Equal(expected[i].Days.Select(day => new DailyClose(day.Date, day.Close)), result.Found[i].Days);
            Assert.Equal(10, result.Found[i].Days.Count);
        }

        Assert.Equal(new DailyClose(new DateOnly(2026, 11, 13), expected[0].Days[^1].Close), result.Found[0].Days[^1]);
    }

    [Fact]
    public async Task PinnedHistoryValuesOfTheDefaultSeed()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();

        var result = await simulator.Client.GetHistoryAsync(["AAPL"], new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 3), CancellationToken.None);

        Assert.Equal(
            [new DailyClose(new DateOnly(2024, 1, 1), 121.19m), new DailyClose(new DateOnly(2024, 1, 2), 123.53m), new DailyClose(new DateOnly(2024, 1, 3), 122.05m)],
            Assert.Single(result.Found).Days);
    }

    [Fact]
    public async Task UnknownSymbolsAreReportedNotThrown()
    {
        await using var simulator = await MarketDataSimulator.StartAsync(null, "Simulators:MarketData:UnknownSymbols:0=DELISTED");

        var quotes = await simulator.Client.GetQuotesAsync(["AAPL", "DELISTED", "lower"], CancellationToken.None);
        var indices = await simulator.Client.GetIndexLevelsAsync(["DELISTED", "SMI"], CancellationToken.None);
        var history = await simulator.Client.GetHistoryAsync(["DELISTED", "AAPL"], Today.AddDays(-2), Today, CancellationToken.None);

        Assert.Equal(["AAPL"], quotes.Found.Select(quote => quote.Symbol));
        Assert.Equal(["DELISTED", "lower"], quotes.Unknown);
        Assert.Equal(["SMI"], indices.Found.Select(level => level.Symbol));
        Assert.Equal(["DELISTED"], indices.Unknown);
        Assert.Equal(["AAPL"], history.Found.Select(series => series.Symbol));
        Assert.Equal(["DELISTED"], history.Unknown);
    }

    [Fact]
    public async Task TwoHundredFiftyQuotesTakeThreeCallsOf100100And50()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        var symbols = MarketDataSimulator.Symbols(250);

        var result = await simulator.Client.GetQuotesAsync(symbols, CancellationToken.None);

        Assert.Equal(symbols, result.Found.Select(quote => quote.Symbol));
        var calls = await simulator.GetRequestLogAsync("?route=marketdata.quotes");
        Assert.Equal([100, 100, 50], calls.Select(SymbolCount));
        Assert.Equal([symbols[0], symbols[100], symbols[200]], calls.Select(FirstSymbol));
        Assert.All(calls, call => Assert.Equal(200, call.Status));
    }

    [Fact]
    public async Task IndicesAndHistoryAreChunkedTheSameWay()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();
        var symbols = MarketDataSimulator.Symbols(250);

        var indices = await simulator.Client.GetIndexLevelsAsync(symbols, CancellationToken.None);
        var history = await simulator.Client.GetHistoryAsync(symbols, Today.AddDays(-6), Today, CancellationToken.None);

        Assert.Equal(250, indices.Found.Count);
        Assert.Equal(symbols, history.Found.Select(series => series.Symbol));
        Assert.All(history.Found, series => Assert.Equal(5, series.Days.Count));
        Assert.Equal([100, 100, 50], (await simulator.GetRequestLogAsync("?route=marketdata.indices")).Select(SymbolCount));
        Assert.Equal([100, 100, 50], (await simulator.GetRequestLogAsync("?route=marketdata.history")).Select(SymbolCount));
    }

    [Fact]
    public async Task TheChunkSizeFollowsMaxSymbolsPerCall()
    {
        await using var simulator = await MarketDataSimulator.StartAsync(new Dictionary<string, string?> { ["MarketData:MaxSymbolsPerCall"] = "40" });

        var result = await simulator.Client.GetQuotesAsync(MarketDataSimulator.Symbols(100), CancellationToken.None);

        Assert.Equal(100, result.Found.Count);
        Assert.Equal([40, 40, 20], (await simulator.GetRequestLogAsync()).Select(SymbolCount));
    }

    [Fact]
    public async Task ALongHistoryIsSplitIntoWindowsAndMerged()
    {
        await using var simulator = await MarketDataSimulator.StartAsync(new Dictionary<string, string?> { ["MarketData:MaxDaysPerCall"] = "30" });
        var from = new DateOnly(2026, 9, 1);

        var result = await simulator.Client.GetHistoryAsync(["AAPL", "MSFT"], from, Today, CancellationToken.None);

        var whole = simulator.Feed.History(["AAPL", "MSFT"], from, Today).History;
        Assert.Equal(whole[0].Days.Select(day => new DailyClose(day.Date, day.Close)), result.Found[0].Days);
        Assert.Equal(whole[1].Days.Select(day => new DailyClose(day.Date, day.Close)), result.Found[1].Days);
        Assert.Equal(
            [
                "/marketdata/v1/history?symbols=AAPL,MSFT&from=2026-09-01&to=2026-09-30",
                "/marketdata/v1/history?symbols=AAPL,MSFT&from=2026-10-01&to=2026-10-30",
                "/marketdata/v1/history?symbols=AAPL,MSFT&from=2026-10-31&to=2026-11-25",
            ],
            (await simulator.GetRequestLogAsync()).Select(call => call.PathAndQuery));
    }

    [Fact]
    public async Task DuplicatesAreAskedForOnceAndAnEmptyListMakesNoCall()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();

        var duplicates = await simulator.Client.GetQuotesAsync(["AAPL", "MSFT", "AAPL"], CancellationToken.None);
        var none = await simulator.Client.GetQuotesAsync([], CancellationToken.None);

        Assert.Equal(["AAPL", "MSFT"], duplicates.Found.Select(quote => quote.Symbol));
        Assert.Empty(none.Found);
        Assert.Equal(["/marketdata/v1/quotes?symbols=AAPL,MSFT"], (await simulator.GetRequestLogAsync()).Select(call => call.PathAndQuery));
    }

    [Fact]
    public async Task BadArgumentsAreRefusedBeforeAnyCall()
    {
        await using var simulator = await MarketDataSimulator.StartAsync();

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetQuotesAsync(["AAPL", " "], CancellationToken.None));
        var comma = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetIndexLevelsAsync(["A,B"], CancellationToken.None));
        var range = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetHistoryAsync(["AAPL"], Today, Today.AddDays(-1), CancellationToken.None));

        Assert.Equal("symbols[1] is empty; pass only the symbols to look up. (Parameter 'symbols')", empty.Message);
        Assert.Equal("symbols[0] ('A,B') contains a comma, which the feed reads as a separator. (Parameter 'symbols')", comma.Message);
        Assert.Equal("from (2026-11-25) must not be after to (2026-11-24). (Parameter 'from')", range.Message);
        Assert.Empty(await simulator.GetRequestLogAsync());
    }

    private static int SymbolCount(Simulators.RequestLog.RequestLogEntry call) => Symbols(call).Length;

    private static string FirstSymbol(Simulators.RequestLog.RequestLogEntry call) => Symbols(call)[0];

    private static string[] Symbols(Simulators.RequestLog.RequestLogEntry call)
    {
        var query = call.PathAndQuery[(call.PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var symbols = query.Split('&').Single(part => part.StartsWith("symbols=", StringComparison.Ordinal));
        return symbols["symbols=".Length..].Split(',');
    }
}
