using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Bulk writes the FinTrack way: binary COPY into a temporary table shaped like the target, then one set-based
/// statement moves the rows. The temporary table lives until the transaction ends.
/// </summary>
internal static class StagingTable
{
    /// <summary>Creates <paramref name="stage"/> like <paramref name="target"/> (dropped on commit) and copies <paramref name="rows"/> into it.</summary>
    /// <returns>The number of rows copied.</returns>
    public static async Task<ulong> CopyAsync<T>(
        NpgsqlConnection connection,
        string stage,
        string target,
        string columns,
        IEnumerable<T> rows,
        Action<NpgsqlBinaryImporter, T> writeRow,
        CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE {stage} (LIKE {target} INCLUDING DEFAULTS) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return await BinaryCopy.CopyAsync(connection, stage, columns, rows, writeRow, cancellationToken);
    }

    /// <summary>Runs one statement in the connection's current transaction and returns the rows it affected.</summary>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
