using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// The measures of a <see cref="Position"/> that both holdings tables store, rounded to
/// <see cref="Numbers.StoredScale"/> places, and how they enter a row's fingerprint and COPY (in this order).
/// </summary>
internal readonly record struct PositionMeasures(
    decimal Quantity, decimal AverageCost, decimal CostBasis, decimal RealisedPnl, decimal Dividends, decimal Fees)
{
    /// <summary>The position's measures as stored.</summary>
    public static PositionMeasures Of(Position position) => new(
        Numbers.Stored(position.Quantity),
        Numbers.Stored(position.AverageCost),
        Numbers.Stored(position.CostBasis),
        Numbers.Stored(position.RealisedPnl),
        Numbers.Stored(position.Dividends),
        Numbers.Stored(position.Fees));

    public void AddTo(ref Fingerprint fingerprint)
    {
        fingerprint.Add(Quantity);
        fingerprint.Add(AverageCost);
        fingerprint.Add(CostBasis);
        fingerprint.Add(RealisedPnl);
        fingerprint.Add(Dividends);
        fingerprint.Add(Fees);
    }

    public void Write(NpgsqlBinaryImporter importer)
    {
        importer.Write(Quantity, NpgsqlDbType.Numeric);
        importer.Write(AverageCost, NpgsqlDbType.Numeric);
        importer.Write(CostBasis, NpgsqlDbType.Numeric);
        importer.Write(RealisedPnl, NpgsqlDbType.Numeric);
        importer.Write(Dividends, NpgsqlDbType.Numeric);
        importer.Write(Fees, NpgsqlDbType.Numeric);
    }
}
