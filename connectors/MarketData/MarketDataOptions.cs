namespace Tributary.Connectors.MarketData;

/// <summary>Where and how to call the market-data feed, bound from the <c>MarketData</c> section.</summary>
public sealed class MarketDataOptions
{
    public const string Section = "MarketData";

    /// <summary>The most symbols the feed accepts in one call.</summary>
    public const int FeedMaxSymbolsPerCall = 100;

    /// <summary>The most calendar days the feed accepts in one history call.</summary>
    public const int FeedMaxDaysPerCall = 3660;

    /// <summary>
    /// The feed's API root, such as <c>http://127.0.0.1:5090/marketdata/v1/</c> for the simulators; required.
    /// A missing trailing slash is added.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent in the <c>X-Api-Key</c> header; required. Never logged nor put in an error message.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one HTTP call (one chunk) may take, reply body included, before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Symbols per HTTP call; longer lists are split into calls of this size. 1..100.</summary>
    public int MaxSymbolsPerCall { get; set; } = FeedMaxSymbolsPerCall;

    /// <summary>Calendar days per history call; longer ranges are split into windows of this size. 1..3660.</summary>
    public int MaxDaysPerCall { get; set; } = FeedMaxDaysPerCall;
}
