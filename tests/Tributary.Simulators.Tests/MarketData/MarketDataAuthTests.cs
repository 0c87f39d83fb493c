using System.Net;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Tests.MarketData;

/// <summary>Every feed route needs the configured key in <c>X-Api-Key</c>; refusals are JSON that says what to send.</summary>
public sealed class MarketDataAuthTests
{
    public static TheoryData<string> Paths => new()
    {
        "quotes?symbols=AAPL",
        "indices?symbols=SPX",
        "history?symbols=AAPL&from=2026-11-02&to=2026-11-06",
        "elsewhere",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AMissingKeyIsRefusedWith401(string path)
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync(path, apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """{"error":"unauthorized","message":"Send your API key in the X-Api-Key header."}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AWrongKeyIsRefusedWith401(string path)
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync(path, apiKey: "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            """{"error":"unauthorized","message":"The API key in the X-Api-Key header is not valid for this feed."}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheConfiguredKeyIsAccepted()
    {
        await using var feed = await MarketDataInstance.StartAsync();

        using var response = await feed.GetAsync("quotes?symbols=AAPL");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheDevKeyOfAppSettingsWorksWithoutConfiguration()
    {
        await using var feed = await MarketDataInstance.StartAsync(MarketDataInstance.Wednesday);

        using var dev = await feed.GetAsync("quotes?symbols=AAPL", MarketDataInstance.DevApiKey);
        using var other = await feed.GetAsync("quotes?symbols=AAPL", MarketDataInstance.ApiKey);

        Assert.Equal(HttpStatusCode.OK, dev.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Theory]
    [InlineData("Simulators:MarketData:ApiKey= ", "Simulators:MarketData:ApiKey must be set: the value clients send in the 'X-Api-Key' header.")]
    [InlineData("Simulators:MarketData:UnknownSymbols:0= ", "Simulators:MarketData:UnknownSymbols:0 must be a symbol; was empty.")]
    public async Task AnInvalidSettingFailsStartUp(string setting, string message)
    {
        await using var app = MarketDataInstance.Build(MarketDataInstance.Wednesday, setting);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, failure.Failures);
    }

    [Fact]
    public async Task ASymbolPatternThatIsNotARegularExpressionFailsStartUp()
    {
        await using var app = MarketDataInstance.Build(MarketDataInstance.Wednesday, "Simulators:MarketData:SymbolPattern=[A-Z");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        var message = Assert.Single(failure.Failures);
        Assert.StartsWith("Simulators:MarketData:SymbolPattern must be a valid regular expression; '[A-Z' is not: ", message, StringComparison.Ordinal);
    }
}
