using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.MarketData;

/// <summary>
/// Which symbols the feed knows, what currency each trades in, and the stable key its price series is seeded from.
/// </summary>
/// <remarks>
/// Knowing every symbol that matches a pattern (rather than a fixed list) lets any generated data set, such as
/// FinTrack's demo assets, resolve in full; <see cref="MarketDataFeedOptions.UnknownSymbols"/> carves out the
/// exceptions a test needs.
/// </remarks>
public sealed class SymbolUniverse
{
    /// <summary>Bounds a match of the configured pattern against a request's symbol.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Exchange suffixes whose symbols trade in a currency other than USD (assumption, Yahoo-style suffixes).</summary>
    private static readonly (string Suffix, string Currency)[] SuffixCurrencies =
    [
        (".SW", "CHF"),
        (".L", "GBP"),
        (".DE", "EUR"),
        (".PA", "EUR"),
        (".AS", "EUR"),
        (".MI", "EUR"),
        (".MC", "EUR"),
        (".T", "JPY"),
        (".TO", "CAD"),
        (".HK", "HKD"),
    ];

    private readonly Regex _pattern;
    private readonly HashSet<string> _unknown;

    public SymbolUniverse(IOptions<MarketDataFeedOptions> options)
    {
        _pattern = new Regex(options.Value.SymbolPattern, RegexOptions.CultureInvariant, MatchTimeout);
        _unknown = new HashSet<string>(options.Value.UnknownSymbols.Select(symbol => symbol.Trim()), StringComparer.Ordinal);
    }

    /// <summary>Whether the feed has prices for <paramref name="symbol"/> (case-sensitive, as sent).</summary>
    public bool IsKnown(string symbol) => !_unknown.Contains(symbol) && _pattern.IsMatch(symbol);

    /// <summary>The quote currency: by exchange suffix, else USD.</summary>
    public static string CurrencyOf(string symbol)
    {
        foreach (var (suffix, currency) in SuffixCurrencies)
        {
            if (symbol.EndsWith(suffix, StringComparison.Ordinal))
            {
                return currency;
            }
        }

        return "USD";
    }

    /// <summary>
    /// FNV-1a (64-bit) of the symbol's UTF-16 code units: stable across processes and .NET versions, unlike
    /// <see cref="string.GetHashCode()"/>, which is randomized per process.
    /// </summary>
    public static ulong StableHash(string symbol)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var unit in symbol)
        {
            hash = unchecked((hash ^ (byte)unit) * prime);
            hash = unchecked((hash ^ (byte)(unit >> 8)) * prime);
        }

        return hash;
    }
}
