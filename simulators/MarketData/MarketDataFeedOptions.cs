namespace Tributary.Simulators.MarketData;

/// <summary>The simulated market-data feed, bound from <c>Simulators:MarketData</c>.</summary>
public sealed class MarketDataFeedOptions
{
    public const string Section = "Simulators:MarketData";

    /// <summary>Matches every symbol of one to twelve upper-case letters, digits or dots, optionally after a <c>^</c> (index style).</summary>
    public const string DefaultSymbolPattern = @"^\^?[A-Z0-9.]{1,12}$";

    /// <summary>Expected in the <c>X-Api-Key</c> request header; required.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// A regular expression; every symbol it matches is "known" and has a price series, so generated symbols
    /// resolve without a symbol list.
    /// </summary>
    public string SymbolPattern { get; set; } = DefaultSymbolPattern;

    /// <summary>Symbols reported as unknown even though they match <see cref="SymbolPattern"/> (delisted, say).</summary>
    public List<string> UnknownSymbols { get; set; } = [];

    /// <summary>Seeds every price series; the same seed gives the same prices in every process.</summary>
    public int DataSeed { get; set; } = 1;
}
