using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Tributary.Simulators.MarketData;

/// <summary>The parsed query of <c>history</c>, or the 400 to send.</summary>
/// <param name="Symbols">The requested symbols, each once, in first-seen order.</param>
/// <param name="From">The first calendar day, inclusive.</param>
/// <param name="To">The last calendar day, inclusive.</param>
public sealed record HistoryQuery(IReadOnlyList<string> Symbols, DateOnly From, DateOnly To)
{
    public static (HistoryQuery? Query, MarketDataError? Error) Parse(IQueryCollection query)
    {
        var (symbols, symbolsError) = SymbolsQuery.Parse(query);
        if (symbols is null)
        {
            return (null, symbolsError);
        }

        if (ReadDate(query, "from", "the first day of the range, inclusive", out var from) is { } fromError)
        {
            return (null, fromError);
        }

        if (ReadDate(query, "to", "the last day of the range, inclusive", out var to) is { } toError)
        {
            return (null, toError);
        }

        if (from > to)
        {
            return (null, Invalid($"from must not be after to; was from={Format(from)}, to={Format(to)}."));
        }

        var days = to.DayNumber - from.DayNumber + 1;
        if (days > MarketDataRoutes.MaxHistoryDays)
        {
            return (null, new MarketDataError(
                MarketDataError.RangeTooLarge,
                $"Requested {days.ToString(CultureInfo.InvariantCulture)} days (from={Format(from)}, to={Format(to)}); at most {MarketDataRoutes.MaxHistoryDays} per call."));
        }

        return (new HistoryQuery(symbols.Symbols, from, to), null);
    }

    private static MarketDataError? ReadDate(IQueryCollection query, string name, string meaning, out DateOnly value)
    {
        value = default;
        if (!query.TryGetValue(name, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return new MarketDataError(MarketDataError.MissingParameter, $"{name} is required: {meaning}, as yyyy-MM-dd.");
        }

        if (values.Count > 1)
        {
            return Invalid($"{name} must be given once; was given {values.Count.ToString(CultureInfo.InvariantCulture)} times.");
        }

        if (!DateOnly.TryParseExact(values[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return Invalid($"{name} must be a date in yyyy-MM-dd form; was '{values[0]}'.");
        }

        if (value < PriceWalk.FirstDay || value > PriceWalk.LastDay)
        {
            return Invalid($"{name} must be from {Format(PriceWalk.FirstDay)} to {Format(PriceWalk.LastDay)}; was {Format(value)}.");
        }

        return null;
    }

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static MarketDataError Invalid(string message) => new(MarketDataError.InvalidParameter, message);
}
