using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>The primary key of a holdings row (<see cref="Month"/> is default for daily rows).</summary>
internal readonly record struct HoldingsRowKey(string AccountId, string AssetId, DateOnly Month);

/// <summary>
/// A computed row of a holdings table: its key, the fingerprint of its values, and how it is written. The table it
/// belongs to is named beside its COPY column list, so the two cannot drift apart.
/// </summary>
internal interface IHoldingsRow
{
    /// <summary>The table the row belongs to.</summary>
    static abstract string Table { get; }

    /// <summary>The COPY column list, in the order <see cref="Write"/> writes the fields.</summary>
    static abstract string Columns { get; }

    /// <summary>True when the table's key includes the month.</summary>
    static abstract bool KeyIncludesMonth { get; }

    HoldingsRowKey Key { get; }

    /// <summary>A <see cref="FinTrack.Fingerprint"/> of every value but the key.</summary>
    long Fingerprint { get; }

    /// <summary>Writes the row's fields in the order of <see cref="Columns"/>.</summary>
    void Write(NpgsqlBinaryImporter importer);
}
