using Npgsql;
using NpgsqlTypes;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.Relay;

/// <summary>
/// The Credinvest -> Dropbox relay's record (migration <c>0050_relay.sql</c>): each run's SFTP listing with what was
/// selected and why the rest was left out, and each selected file's upload. Every write is an upsert keyed by run and
/// file name, so a batch re-run after a crash rewrites its own row.
/// </summary>
public sealed class RelayStore
{
    private const string ListingColumns = "run_id, name, size, modified_at, account, file_type, stamped_at, selected, reason, listed_at";
    private const string UploadColumns = "run_id, name, account, file_type, size, status, content_hash, dropbox_path, attempts, error, updated_at";

    private readonly NpgsqlDataSource _dataSource;

    public RelayStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Stores a run's listing, replacing what an earlier plan of the same run stored.</summary>
    public async Task SaveListingAsync(Guid runId, IReadOnlyList<ListedFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM relay_listing WHERE run_id = $1", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = runId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO relay_listing ({ListingColumns})
            SELECT $1, f.name, f.size, f.modified_at, f.account, f.file_type, f.stamped_at, f.selected, f.reason, $2
            FROM unnest($3::text[], $4::bigint[], $5::timestamptz[], $6::text[], $7::text[], $8::timestamp[], $9::boolean[], $10::text[])
                AS f(name, size, modified_at, account, file_type, stamped_at, selected, reason)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = runId });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Count == 0 ? DateTimeOffset.UtcNow : files[0].ListedAt });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Name).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Size).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.ModifiedAt).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Account).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.FileType).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter
            {
                Value = files.Select(f => f.StampedAt is { } at ? (object)DateTime.SpecifyKind(at, DateTimeKind.Unspecified) : DBNull.Value).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp,
            });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Selected).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Reason).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A run's listing, by name.</summary>
    public async Task<IReadOnlyList<ListedFile>> GetListingAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ListingColumns} FROM relay_listing WHERE run_id = $1 ORDER BY name");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        return await ReadAllAsync(command, ReadListed, cancellationToken);
    }

    /// <summary>The listing of the run that listed last (an empty listing stores no row, so it is the last non-empty one).</summary>
    public async Task<IReadOnlyList<ListedFile>> GetLatestListingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {ListingColumns} FROM relay_listing
            WHERE run_id = (SELECT run_id FROM relay_listing ORDER BY listed_at DESC, run_id LIMIT 1)
            ORDER BY name
            """);
        return await ReadAllAsync(command, ReadListed, cancellationToken);
    }

    /// <summary>Records how one attempt at a file's upload ended: uploaded with its verified hash, or failed with why.</summary>
    public async Task RecordUploadAsync(FileUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await using var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO relay_upload ({UploadColumns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)
            ON CONFLICT (run_id, name) DO UPDATE SET
                size = excluded.size, status = excluded.status, content_hash = excluded.content_hash,
                dropbox_path = excluded.dropbox_path, attempts = relay_upload.attempts + 1, error = excluded.error,
                updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = upload.RunId });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.Account });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.FileType });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.Size });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)upload.ContentHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.DropboxPath });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)upload.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = upload.UpdatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A run's uploads, by name.</summary>
    public async Task<IReadOnlyList<FileUpload>> GetUploadsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {UploadColumns} FROM relay_upload WHERE run_id = $1 ORDER BY name");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        return await ReadAllAsync(command, ReadUpload, cancellationToken);
    }

    /// <summary>The files of a run whose last attempt failed, in the seed's words ("Account 12345 - INTE100F").</summary>
    public async Task<IReadOnlyList<string>> FailedAccountsAsync(Guid runId, CancellationToken cancellationToken) =>
        [.. (await GetUploadsAsync(runId, cancellationToken)).Where(u => u.Status == FileUpload.Failed).Select(u => u.FailedAccount)];

    private static ListedFile ReadListed(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetDateTime(6),
        r.GetBoolean(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetFieldValue<DateTimeOffset>(9));

    private static FileUpload ReadUpload(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9),
        r.GetFieldValue<DateTimeOffset>(10));
}
