using System.Globalization;

namespace Tributary.Storage.FinTrack;

/// <summary>Decimal conventions shared by the FinTrack computations and messages.</summary>
internal static class Numbers
{
    /// <summary>Decimal places kept in stored holdings measures (rounded half away from zero, as PostgreSQL's round does).</summary>
    public const int StoredScale = 10;

    /// <summary>The value rounded to <see cref="StoredScale"/> places.</summary>
    /// <remarks>
    /// Not normalised (1.50 stays 1.50): normalising costs a decimal division per value, and the computation is
    /// deterministic, so the same inputs still give the same digits, scale and <see cref="Fingerprint"/>.
    /// </remarks>
    public static decimal Stored(decimal value) => decimal.Round(value, StoredScale, MidpointRounding.AwayFromZero);

    /// <summary>The value as invariant text without trailing zeros or exponent: 10.50 is "10.5", 10.0 is "10".</summary>
    public static string Plain(decimal value) => Normalise(value).ToString(CultureInfo.InvariantCulture);

    // Dividing by 1 with 28 trailing zeros gives the smallest scale that still represents the value exactly.
    private static decimal Normalise(decimal value) => value / 1.0000000000000000000000000000m;
}
