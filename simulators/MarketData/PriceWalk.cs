using Tributary.Simulators.Data;

namespace Tributary.Simulators.MarketData;

/// <summary>
/// The synthetic daily close of any symbol on any day from <see cref="FirstDay"/> to <see cref="LastDay"/>: a
/// geometric Gaussian random walk per symbol, seeded by the data seed and a stable hash of the symbol, the same in
/// every process.
/// </summary>
/// <remarks>
/// Summing a walk's daily steps from its start would cost tens of thousands of draws per value. The walk is built
/// instead as a Brownian bridge over a binary tree of day ranges: the level at the end of the whole span is drawn,
/// then the midpoint of every range is drawn given its two ends, each draw seeded by (symbol, tree level, range
/// index). Sampled at whole days this is exactly a random walk with independent Gaussian daily steps, yet one day
/// costs <see cref="TreeDepth"/> draws and a range of n days about 2n, and any range can be made alone, in any order.
/// Levels are scaled so each series sits at its base level (drawn per symbol) on <see cref="ReferenceDay"/>.
/// </remarks>
public sealed class PriceWalk(int dataSeed)
{
    /// <summary>Day 0 of every walk.</summary>
    public static readonly DateOnly FirstDay = new(1970, 1, 1);

    /// <summary>The last day a walk covers (2149-06-06).</summary>
    public static readonly DateOnly LastDay = FirstDay.AddDays((int)Span - 1);

    /// <summary>The day on which a series is at its base level.</summary>
    public static readonly DateOnly ReferenceDay = new(2020, 1, 1);

    private const int TreeDepth = 16;
    private const long Span = 1L << TreeDepth;
    private const ulong EndLevelDraw = 0xFFFF_FFFF;
    private const ulong BaseLevelDraw = 0xFFFF_FFFE;

    private readonly ulong _seed = unchecked((ulong)dataSeed);

    /// <summary>The close of every calendar day from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public decimal[] Closes(string symbol, PriceSeriesKind kind, DateOnly from, DateOnly to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, FirstDay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, LastDay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);

        var key = DeterministicRandom.Hash(_seed, kind.Stream, SymbolUniverse.StableHash(symbol));
        var first = DayIndex(from);
        var last = DayIndex(to);
        var walk = new double[last - first + 1];
        Fill(key, kind, first, last, walk);

        var reference = new double[1];
        var referenceIndex = DayIndex(ReferenceDay);
        Fill(key, kind, referenceIndex, referenceIndex, reference);

        var baseLevel = BaseLevel(key, kind);
        var closes = new decimal[walk.Length];
        for (var i = 0; i < walk.Length; i++)
        {
            closes[i] = ToPrice(baseLevel * Math.Exp(walk[i] - reference[0]));
        }

        return closes;
    }

    /// <summary>The close on one day.</summary>
    public decimal Close(string symbol, PriceSeriesKind kind, DateOnly day) => Closes(symbol, kind, day, day)[0];

    /// <summary>Positive, with 2 decimals from 1 up and 4 below 1, as feeds quote cheap instruments.</summary>
    private static decimal ToPrice(double value)
    {
        var price = (decimal)Math.Clamp(value, 0.0001, 1e12);
        return Math.Round(price, price >= 1m ? 2 : 4, MidpointRounding.AwayFromZero);
    }

    private static long DayIndex(DateOnly day) => day.DayNumber - FirstDay.DayNumber;

    private static double BaseLevel(ulong key, PriceSeriesKind kind)
    {
        var u = DeterministicRandom.For(key, BaseLevelDraw, 0).NextDouble();
        return Math.Exp(Math.Log(kind.MinLevel) + (u * (Math.Log(kind.MaxLevel) - Math.Log(kind.MinLevel))));
    }

    private static void Fill(ulong key, PriceSeriesKind kind, long first, long last, double[] output)
    {
        var end = kind.DailyVolatility * Math.Sqrt(Span) * Gaussian(key, EndLevelDraw, 0);
        Bridge(key, kind.DailyVolatility, 0, Span, 0, end, 0, 0, first, last, output);
    }

    /// <summary>
    /// Fills the days of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>] that fall in
    /// [<paramref name="first"/>, <paramref name="last"/>], given the walk's values at both ends of the range.
    /// </summary>
    private static void Bridge(
        ulong key, double volatility, long start, long length, double atStart, double atEnd, int level, long index,
        long first, long last, double[] output)
    {
        var stop = start + length;
        if (stop < first || start > last)
        {
            return;
        }

        if (length == 1)
        {
            Put(start, atStart, first, last, output);
            Put(stop, atEnd, first, last, output);
            return;
        }

        // Given both ends, the midpoint of a Brownian path is normal around their mean with variance length/4.
        var half = length / 2;
        var middle = ((atStart + atEnd) / 2) + (volatility * Math.Sqrt(length) / 2 * Gaussian(key, (ulong)level, (ulong)index));
        Bridge(key, volatility, start, half, atStart, middle, level + 1, index * 2, first, last, output);
        Bridge(key, volatility, start + half, half, middle, atEnd, level + 1, (index * 2) + 1, first, last, output);
    }

    private static void Put(long day, double value, long first, long last, double[] output)
    {
        if (day >= first && day <= last)
        {
            output[day - first] = value;
        }
    }

    /// <summary>A standard normal draw (Box-Muller) for one node of the tree.</summary>
    private static double Gaussian(ulong key, ulong level, ulong index)
    {
        var random = DeterministicRandom.For(key, level, index);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
