namespace Tributary.Simulators.MarketData;

/// <summary>What a series prices, and so how it moves: equities and indices walk with different volatility and levels.</summary>
/// <param name="Stream">Separates the kinds' random streams, so one symbol has unrelated price and index series.</param>
/// <param name="DailyVolatility">Standard deviation of the daily log return.</param>
/// <param name="MinLevel">Lower bound of a series' level on the reference day.</param>
/// <param name="MaxLevel">Upper bound of a series' level on the reference day.</param>
public sealed record PriceSeriesKind(ulong Stream, double DailyVolatility, double MinLevel, double MaxLevel)
{
    /// <summary>Shares and funds: 1.2 % a day, 5 to 500 on the reference day.</summary>
    public static readonly PriceSeriesKind Equity = new(1, 0.012, 5, 500);

    /// <summary>Index levels: 0.8 % a day, 500 to 20,000 on the reference day.</summary>
    public static readonly PriceSeriesKind Index = new(2, 0.008, 500, 20_000);
}
