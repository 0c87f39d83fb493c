using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.MarketData;

namespace Tributary.Connectors.Tests.MarketData;

/// <summary>Bad <c>MarketData</c> settings fail with a sentence naming the setting.</summary>
public sealed class MarketDataOptionsTests
{
    [Theory]
    [InlineData("MarketData:BaseUrl", "", "MarketData:BaseUrl must be set: the feed's API root, such as http://127.0.0.1:5090/marketdata/v1/ for the simulators.")]
    [InlineData("MarketData:BaseUrl", "marketdata/v1", "MarketData:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/marketdata/v1/; was 'marketdata/v1'.")]
    [InlineData("MarketData:BaseUrl", "ftp://feed/", "MarketData:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/marketdata/v1/; was 'ftp://feed/'.")]
    [InlineData("MarketData:ApiKey", " ", "MarketData:ApiKey must be set: the key the feed expects in the X-Api-Key header.")]
    [InlineData("MarketData:Timeout", "00:00:00", "MarketData:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:00:00.")]
    [InlineData("MarketData:Timeout", "00:11:00", "MarketData:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:11:00.")]
    [InlineData("MarketData:MaxSymbolsPerCall", "101", "MarketData:MaxSymbolsPerCall must be 1..100 (the feed refuses more), was 101.")]
    [InlineData("MarketData:MaxSymbolsPerCall", "0", "MarketData:MaxSymbolsPerCall must be 1..100 (the feed refuses more), was 0.")]
    [InlineData("MarketData:MaxDaysPerCall", "3661", "MarketData:MaxDaysPerCall must be 1..3660 (the feed refuses more), was 3661.")]
    public void AnInvalidSettingFailsWithASentenceNamingIt(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MarketData:BaseUrl"] = "http://127.0.0.1:5090/marketdata/v1/",
            ["MarketData:ApiKey"] = "key",
            [key] = value,
        };
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<MarketDataClient>());

        Assert.Equal([message], failure.Failures);
    }

    [Fact]
    public void DefaultsAreThirtySecondsAndTheFeedsLimits()
    {
        using var services = Services(new Dictionary<string, string?>
        {
            ["MarketData:BaseUrl"] = "http://127.0.0.1:5090/marketdata/v1",
            ["MarketData:ApiKey"] = "key",
        });

        var options = services.GetRequiredService<IOptions<MarketDataOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(30), 100, 3660), (options.Timeout, options.MaxSymbolsPerCall, options.MaxDaysPerCall));
        Assert.NotNull(services.GetRequiredService<MarketDataClient>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddMarketDataClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
