using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Binary COPY the FinTrack way, for every writer of FinTrack rows (imports, market data, holdings, the demo load):
/// one stream of rows into a table, and the null-aware field writes the rows need.
/// </summary>
/// <remarks>
/// Writes are synchronous: they fill Npgsql's buffer without an async state machine per field, and only block
/// briefly when the buffer is flushed to the socket (a demo load copies up to a million rows).
/// </remarks>
internal static class BinaryCopy
{
    /// <summary>Copies <paramref name="rows"/> into <paramref name="table"/>, each written by <paramref name="writeRow"/> in the order of <paramref name="columns"/>.</summary>
    /// <returns>The number of rows copied.</returns>
    public static async Task<ulong> CopyAsync<T>(
        NpgsqlConnection connection,
        string table,
        string columns,
        IEnumerable<T> rows,
        Action<NpgsqlBinaryImporter, T> writeRow,
        CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            importer.StartRow();
            writeRow(importer, row);
        }

        return await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="value"/>, or NULL when it has none.</summary>
    public static void WriteNullable<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } present)
        {
            importer.Write(present, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    /// <summary>Writes <paramref name="value"/>, or NULL when it is null.</summary>
    public static void WriteNullable(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    /// <summary>Writes each of <paramref name="values"/> as text, in order.</summary>
    public static void WriteTexts(this NpgsqlBinaryImporter importer, params string[] values)
    {
        foreach (var value in values)
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }
}
