using System.Data;
using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Replaces the stored rows of a holdings table within a <see cref="HoldingsScope"/> with freshly computed ones,
/// writing only what changed.
/// </summary>
/// <remarks>
/// It reads the keys and fingerprints of the scope's stored rows, deletes rows that no longer exist or whose values
/// changed, and binary-COPYs the new and changed rows straight into the table. Replacing with identical rows
/// therefore writes nothing and leaves the rows (and their versions) as they were. The caller holds the locks that
/// make it the only writer of the scope, and owns the transaction.
/// </remarks>
internal static class HoldingsTable
{
    /// <summary>Makes the stored rows of <paramref name="scope"/> in <typeparamref name="TRow"/>'s table equal <paramref name="rows"/>.</summary>
    /// <returns>Rows written plus rows deleted (0 when nothing changed).</returns>
    public static async Task<int> ReplaceAsync<TRow>(
        NpgsqlConnection connection, HoldingsScope scope, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
        where TRow : IHoldingsRow
    {
        var stored = await ReadFingerprintsAsync<TRow>(connection, scope, cancellationToken);
        var toWrite = new List<TRow>();
        var toDelete = new List<HoldingsRowKey>();
        foreach (var row in rows)
        {
            if (!stored.Remove(row.Key, out var fingerprint))
            {
                toWrite.Add(row);
            }
            else if (fingerprint != row.Fingerprint)
            {
                toWrite.Add(row);
                toDelete.Add(row.Key);
            }
        }

        var stale = stored.Count;
        toDelete.AddRange(stored.Keys);
        if (toDelete.Count > 0)
        {
            await DeleteAsync<TRow>(connection, toDelete, cancellationToken);
        }

        if (toWrite.Count > 0)
        {
            await BinaryCopy.CopyAsync(connection, TRow.Table, TRow.Columns, toWrite, (importer, row) => row.Write(importer), cancellationToken);
        }

        return toWrite.Count + stale;
    }

    private static async Task<Dictionary<HoldingsRowKey, long>> ReadFingerprintsAsync<TRow>(
        NpgsqlConnection connection, HoldingsScope scope, CancellationToken cancellationToken)
        where TRow : IHoldingsRow
    {
        var stored = new Dictionary<HoldingsRowKey, long>();
        await using var command = new NpgsqlCommand(
            $"""
            SELECT account_id, asset_id, {(TRow.KeyIncludesMonth ? "month" : "NULL::date")}, fingerprint FROM {TRow.Table}
            WHERE asset_id = ANY(@assets) {scope.AccountFilter}
            """,
            connection);
        scope.AddParameters(command);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new HoldingsRowKey(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? default : reader.GetFieldValue<DateOnly>(2));
            stored[key] = reader.GetInt64(3);
        }

        return stored;
    }

    private static async Task DeleteAsync<TRow>(NpgsqlConnection connection, List<HoldingsRowKey> keys, CancellationToken cancellationToken)
        where TRow : IHoldingsRow
    {
        await using var delete = new NpgsqlCommand(
            TRow.KeyIncludesMonth
                ? $"""
                  DELETE FROM {TRow.Table} t USING unnest(@accounts, @assets, @months) AS d(account_id, asset_id, month)
                  WHERE t.account_id = d.account_id AND t.asset_id = d.asset_id AND t.month = d.month
                  """
                : $"""
                  DELETE FROM {TRow.Table} t USING unnest(@accounts, @assets) AS d(account_id, asset_id)
                  WHERE t.account_id = d.account_id AND t.asset_id = d.asset_id
                  """,
            connection);
        delete.Parameters.AddWithValue("accounts", keys.Select(k => k.AccountId).ToArray());
        delete.Parameters.AddWithValue("assets", keys.Select(k => k.AssetId).ToArray());
        if (TRow.KeyIncludesMonth)
        {
            delete.Parameters.AddWithValue("months", keys.Select(k => k.Month).ToArray());
        }

        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
