namespace Tributary.Simulators.MarketData;

/// <summary>
/// Answers the feed's three questions (latest quotes, latest index levels, daily history) from the synthetic
/// walks, as of the current UTC day by the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// "Latest" is the close of the latest business day on or before today (UTC), so a quote on a weekend is
/// Friday's close and always equals the last day of the symbol's history; repeated calls within a day agree.
/// </remarks>
public sealed class MarketDataFeed(SymbolUniverse universe, PriceWalk walk, TimeProvider time)
{
    /// <summary>The business day whose close is "latest" now.</summary>
    public DateOnly LatestBusinessDay => MarketCalendar.LatestBusinessDayOnOrBefore(Today);

    private DateOnly Today
    {
        get
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            return today > PriceWalk.LastDay ? PriceWalk.LastDay : today;
        }
    }

    public QuotesReply Quotes(IReadOnlyList<string> symbols)
    {
        var asOf = LatestBusinessDay;
        var (known, unknown) = Partition(symbols);
        return new QuotesReply(
            [.. known.Select(symbol => new QuoteEntry(symbol, walk.Close(symbol, PriceSeriesKind.Equity, asOf), SymbolUniverse.CurrencyOf(symbol), asOf))],
            unknown);
    }

    public IndicesReply Indices(IReadOnlyList<string> symbols)
    {
        var asOf = LatestBusinessDay;
        var (known, unknown) = Partition(symbols);
        return new IndicesReply(
            [.. known.Select(symbol => new IndexLevelEntry(symbol, walk.Close(symbol, PriceSeriesKind.Index, asOf), asOf))],
            unknown);
    }

    /// <summary>Closes of business days from <paramref name="from"/> to <paramref name="to"/>, cut at the latest business day.</summary>
    public HistoryReply History(IReadOnlyList<string> symbols, DateOnly from, DateOnly to)
    {
        var last = to < LatestBusinessDay ? to : LatestBusinessDay;
        var (known, unknown) = Partition(symbols);
        return new HistoryReply([.. known.Select(symbol => new SymbolHistoryEntry(symbol, Days(symbol, from, last)))], unknown);
    }

    private List<DailyCloseEntry> Days(string symbol, DateOnly from, DateOnly last)
    {
        if (from > last)
        {
            return [];
        }

        var closes = walk.Closes(symbol, PriceSeriesKind.Equity, from, last);
        return
        [
            .. MarketCalendar.BusinessDays(from, last)
                .Select(day => new DailyCloseEntry(day, closes[day.DayNumber - from.DayNumber])),
        ];
    }

    private (List<string> Known, List<string> Unknown) Partition(IReadOnlyList<string> symbols)
    {
        var known = new List<string>(symbols.Count);
        var unknown = new List<string>();
        foreach (var symbol in symbols)
        {
            (universe.IsKnown(symbol) ? known : unknown).Add(symbol);
        }

        return (known, unknown);
    }
}
