namespace Tributary.Simulators.Data;

/// <summary>
/// A small SplitMix64 generator for synthetic upstream data: the same seed gives the same sequence in every
/// process and on every .NET version, which <see cref="Random"/> and <see cref="HashCode"/> do not promise.
/// </summary>
/// <remarks>
/// Records are generated from a seed derived from their own index (<see cref="For(ulong, ulong, ulong, ulong)"/>),
/// never from a shared generator, so any page can be produced alone and in any order.
/// </remarks>
public sealed class DeterministicRandom(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state = seed;

    /// <summary>A generator for one record: a data-set seed, a stream (what is being made), an index and a revision.</summary>
    public static DeterministicRandom For(ulong dataSeed, ulong stream, ulong index, ulong revision = 0) =>
        new(Hash(dataSeed, stream, index, revision));

    /// <summary>Mixes values into one well-spread 64-bit hash, stable across processes.</summary>
    public static ulong Hash(ulong a, ulong b, ulong c, ulong d = 0)
    {
        var h = Finalize(a + Golden);
        h = Finalize(h ^ (b + Golden));
        h = Finalize(h ^ (c + Golden));
        return Finalize(h ^ (d + Golden));
    }

    /// <summary>
    /// FNV-1a (64-bit) of a string's UTF-16 code units: stable across processes and .NET versions, unlike
    /// <see cref="string.GetHashCode()"/>, which is randomized per process.
    /// </summary>
    public static ulong HashText(string text)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var unit in text)
        {
            hash = unchecked((hash ^ (byte)unit) * prime);
            hash = unchecked((hash ^ (byte)(unit >> 8)) * prime);
        }

        return hash;
    }

    public ulong NextUInt64()
    {
        _state += Golden;
        return Finalize(_state);
    }

    /// <summary>0 &lt;= result &lt; <paramref name="maxExclusive"/>.</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary><paramref name="minInclusive"/> &lt;= result &lt; <paramref name="maxExclusive"/>.</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>0 &lt;= result &lt; 1, with 53 bits of precision.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary><paramref name="count"/> distinct items in a deterministic order.</summary>
    public IReadOnlyList<T> PickDistinct<T>(IReadOnlyList<T> items, int count)
    {
        var indexes = Enumerable.Range(0, items.Count).ToArray();
        var take = Math.Min(count, indexes.Length);
        for (var i = 0; i < take; i++)
        {
            var j = Next(i, indexes.Length);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }

        return [.. indexes.Take(take).Select(index => items[index])];
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
