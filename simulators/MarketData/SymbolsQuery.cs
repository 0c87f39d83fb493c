using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Tributary.Simulators.MarketData;

/// <summary>
/// The <c>symbols</c> parameter every route takes, or the 400 to send. Parsed by hand rather than bound, so every
/// refusal says what is wrong and what is allowed.
/// </summary>
/// <param name="Symbols">The requested symbols, each once, in first-seen order.</param>
public sealed record SymbolsQuery(IReadOnlyList<string> Symbols)
{
    /// <remarks>
    /// <c>symbols=A,B</c> and <c>symbols=A&amp;symbols=B</c> are the same request. The limit counts entries as sent,
    /// duplicates included, as a strict upstream would.
    /// </remarks>
    public static (SymbolsQuery? Query, MarketDataError? Error) Parse(IQueryCollection query)
    {
        if (!query.TryGetValue("symbols", out StringValues values) || values.All(string.IsNullOrWhiteSpace))
        {
            return (null, new MarketDataError(
                MarketDataError.MissingParameter,
                $"symbols is required: a comma-separated list of 1 to {MarketDataRoutes.MaxSymbolsPerCall} symbols, such as symbols=AAPL,MSFT."));
        }

        var entries = values.SelectMany(value => (value ?? string.Empty).Split(',')).Select(entry => entry.Trim()).ToList();
        if (entries.Count > MarketDataRoutes.MaxSymbolsPerCall)
        {
            return (null, new MarketDataError(
                MarketDataError.TooManySymbols,
                $"Requested {entries.Count.ToString(CultureInfo.InvariantCulture)} symbols; at most {MarketDataRoutes.MaxSymbolsPerCall} per call."));
        }

        var empty = entries.FindIndex(string.IsNullOrEmpty);
        if (empty >= 0)
        {
            return (null, new MarketDataError(
                MarketDataError.InvalidParameter,
                $"symbols must not contain empty entries; entry {(empty + 1).ToString(CultureInfo.InvariantCulture)} is empty."));
        }

        return (new SymbolsQuery([.. entries.Distinct(StringComparer.Ordinal)]), null);
    }
}
