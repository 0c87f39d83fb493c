namespace Tributary.Simulators.Tests.MarketData;

/// <summary>Every symbol matching the pattern is known, except the configured unknown ones; the rest are listed in <c>unknown</c>.</summary>
public sealed class MarketDataSymbolTests
{
    [Fact]
    public async Task UnknownSymbolsAreListedInRequestOrderAndKnownOnesServedOnce()
    {
        await using var feed = await MarketDataInstance.StartAsync("Simulators:MarketData:UnknownSymbols:0=DELISTED");

        var reply = await feed.GetJsonAsync("quotes?symbols=MSFT,DELISTED,aapl,AAPL,THIRTEENCHARS,MSFT,BAD-DASH,FT0001");

        Assert.Equal(["MSFT", "AAPL", "FT0001"], Strings(reply.GetProperty("quotes"), "symbol"));
        Assert.Equal(["DELISTED", "aapl", "THIRTEENCHARS", "BAD-DASH"], Strings(reply.GetProperty("unknown")));
    }

    [Fact]
    public async Task IndicesAndHistoryListUnknownSymbolsToo()
    {
        await using var feed = await MarketDataInstance.StartAsync("Simulators:MarketData:UnknownSymbols:0=DELISTED");

        var indices = await feed.GetJsonAsync("indices?symbols=^GSPC,DELISTED,SMI");
        var history = await feed.GetJsonAsync("history?symbols=DELISTED,AAPL&from=2026-11-23&to=2026-11-24");

        Assert.Equal(["^GSPC", "SMI"], Strings(indices.GetProperty("indices"), "symbol"));
        Assert.Equal(["DELISTED"], Strings(indices.GetProperty("unknown")));
        Assert.Equal(["AAPL"], Strings(history.GetProperty("history"), "symbol"));
        Assert.Equal(["DELISTED"], Strings(history.GetProperty("unknown")));
    }

    [Fact]
    public async Task AHundredGeneratedSymbolsAllResolve()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var reply = await feed.GetJsonAsync($"quotes?symbols={MarketDataInstance.Symbols(100)}");

        Assert.Equal(MarketDataInstance.Symbols(100).Split(','), Strings(reply.GetProperty("quotes"), "symbol"));
        Assert.Empty(Strings(reply.GetProperty("unknown")));
        Assert.All(reply.GetProperty("quotes").EnumerateArray(), quote => Assert.True(quote.GetProperty("price").GetDecimal() > 0m));
    }

    [Fact]
    public async Task TheCurrencyFollowsTheExchangeSuffix()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        var reply = await feed.GetJsonAsync("quotes?symbols=AAPL,NESN.SW,VOD.L,SAP.DE,7203.T,SHOP.TO");

        Assert.Equal(["USD", "CHF", "GBP", "EUR", "JPY", "CAD"], Strings(reply.GetProperty("quotes"), "currency"));
    }

    [Fact]
    public async Task AConfiguredPatternDecidesWhatIsKnown()
    {
        await using var feed = await MarketDataInstance.StartAsync("Simulators:MarketData:SymbolPattern=^FT[0-9]{4}$");

        var reply = await feed.GetJsonAsync("quotes?symbols=FT0001,AAPL");

        Assert.Equal(["FT0001"], Strings(reply.GetProperty("quotes"), "symbol"));
        Assert.Equal(["AAPL"], Strings(reply.GetProperty("unknown")));
    }

    private static List<string> Strings(System.Text.Json.JsonElement array, string? property = null) =>
    [
        .. array.EnumerateArray().Select(item => (property is null ? item : item.GetProperty(property)).GetString()!),
    ];
}
