using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tributary.Storage;

/// <summary>
/// Applies the numbered SQL migrations embedded from <c>storage/Migrations</c> to a PostgreSQL database, in order,
/// each exactly once, and records them in <c>schema_migrations</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every silo may run this at start-up at the same moment, so the whole run holds a session-level advisory lock
/// (<see cref="AdvisoryLockKey"/>) on one dedicated connection: the first process migrates, the others wait and then
/// find nothing left to do.
/// </para>
/// <para>
/// Each migration runs in its own transaction together with its record row, so a failed migration leaves neither
/// its changes nor a record behind. Statements that PostgreSQL refuses to run inside a transaction
/// (<c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>) therefore can't be used in a migration.
/// </para>
/// <para>
/// The SHA-256 checksum of every applied file is recorded; a later run fails with
/// <see cref="MigrationChangedException"/> if an applied file was edited, because databases that ran the old and the
/// new text would otherwise differ silently.
/// </para>
/// </remarks>
public sealed partial class DatabaseMigrator
{
    /// <summary>
    /// The key of the PostgreSQL advisory lock (<c>pg_advisory_lock(bigint)</c>) held while migrating: the ASCII bytes
    /// of "Tributar". Any tool that changes the schema outside this class should take the same lock.
    /// </summary>
    public const long AdvisoryLockKey = 0x5472_6962_7574_6172;

    /// <summary>The table that records applied migrations.</summary>
    public const string RecordTable = "schema_migrations";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<DatabaseMigrator> _logger;

    /// <summary>Creates a migrator for the database <paramref name="dataSource"/> connects to.</summary>
    public DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>Applies every embedded migration the database has not recorded yet.</summary>
    /// <returns>The migrations this run applied and those that were applied before.</returns>
    /// <exception cref="MigrationChangedException">An applied migration's file has changed since it was applied.</exception>
    /// <exception cref="InvalidOperationException">A migration file is misnamed, or a migration failed (it was rolled back).</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrations = Migration.LoadEmbedded();

        // One dedicated connection for the whole run: a session-level advisory lock belongs to its connection.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            await EnsureRecordTableAsync(connection, cancellationToken);
            var recorded = await ReadRecordedAsync(connection, cancellationToken);
            VerifyUnchanged(migrations, recorded);

            var known = migrations.Select(m => m.Version).ToHashSet();
            foreach (var unknown in recorded.Values.Where(r => !known.Contains(r.Version)))
            {
                LogUnknownMigration(unknown.Name, unknown.Version);
            }

            var alreadyApplied = migrations.Where(m => recorded.ContainsKey(m.Version)).Select(m => m.Name).ToList();
            var applied = new List<string>();
            foreach (var migration in migrations.Where(m => !recorded.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                applied.Add(migration.Name);
            }

            if (applied.Count == 0)
            {
                LogUpToDate(alreadyApplied.Count);
            }
            else
            {
                LogMigrated(applied.Count, string.Join(", ", applied), alreadyApplied.Count);
            }

            return new MigrationResult(applied, alreadyApplied);
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }
    }

    /// <summary>
    /// The embedded migrations the database has not recorded, without applying any or taking the lock: what a process
    /// that leaves migrating to another (a Kubernetes migration Job) waits for.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        var migrations = Migration.LoadEmbedded();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{RecordTable}') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return [.. migrations.Select(m => m.Name)];
            }
        }

        var recorded = await ReadRecordedAsync(connection, cancellationToken);
        return [.. migrations.Where(m => !recorded.ContainsKey(m.Version)).Select(m => m.Name)];
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var attempt = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
        {
            attempt.Parameters.AddWithValue("key", AdvisoryLockKey);
            if (await attempt.ExecuteScalarAsync(cancellationToken) is true)
            {
                return;
            }
        }

        LogWaitingForLock(AdvisoryLockKey);

        // Another process is migrating; its migrations may take longer than a command timeout, so wait without one.
        await using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
        wait.Parameters.AddWithValue("key", AdvisoryLockKey);
        await wait.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException exception)
        {
            // The lock dies with the session; a broken connection is not returned to the pool, so nothing stays locked.
            LogUnlockFailed(exception);
        }
    }

    private static async Task EnsureRecordTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = $"""
            CREATE TABLE IF NOT EXISTS {RecordTable} (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, RecordedMigration>> ReadRecordedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version, name, checksum, applied_at FROM {RecordTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<int, RecordedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new RecordedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
            recorded.Add(row.Version, row);
        }

        return recorded;
    }

    private static void VerifyUnchanged(IReadOnlyList<Migration> migrations, Dictionary<int, RecordedMigration> recorded)
    {
        foreach (var migration in migrations)
        {
            if (recorded.TryGetValue(migration.Version, out var record) && record.Checksum != migration.Checksum)
            {
                throw new MigrationChangedException(
                    $"Migration {migration.Name} was changed after it was applied on {record.AppliedAt:yyyy-MM-dd HH:mm:ss} UTC " +
                    $"(recorded as {record.Name}, checksum {record.Checksum}; the file now hashes to {migration.Checksum}). " +
                    "Restore the file as it was and put the change in a new migration with a higher number.")
                {
                    MigrationName = migration.Name,
                };
            }
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        LogApplying(migration.Name);
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // No timeout: a data migration may legitimately run long; the caller's token still cancels it.
            await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                $"INSERT INTO {RecordTable} (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, now())",
                connection,
                transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            LogFailed(exception, migration.Name);
            throw new InvalidOperationException(
                $"Migration {migration.Name} failed and was rolled back: {exception.Message}. Fix the migration and start again.",
                exception);
        }

        LogApplied(migration.Name, stopwatch.ElapsedMilliseconds);
    }

    [LoggerMessage(1, LogLevel.Information, "Another process holds the migration lock {LockKey}; waiting until it has finished")]
    private partial void LogWaitingForLock(long lockKey);

    [LoggerMessage(2, LogLevel.Information, "Applying migration {Migration}")]
    private partial void LogApplying(string migration);

    [LoggerMessage(3, LogLevel.Information, "Applied migration {Migration} in {ElapsedMilliseconds} ms")]
    private partial void LogApplied(string migration, long elapsedMilliseconds);

    [LoggerMessage(4, LogLevel.Information, "Database schema is up to date: {AlreadyApplied} migrations were applied before, none pending")]
    private partial void LogUpToDate(int alreadyApplied);

    [LoggerMessage(5, LogLevel.Information, "Applied {AppliedCount} migrations ({Applied}); {AlreadyApplied} were applied before")]
    private partial void LogMigrated(int appliedCount, string applied, int alreadyApplied);

    [LoggerMessage(6, LogLevel.Warning, "The database records migration {Migration} (version {Version}), which this build does not contain; a newer build may have applied it")]
    private partial void LogUnknownMigration(string migration, int version);

    [LoggerMessage(7, LogLevel.Error, "Migration {Migration} failed and was rolled back")]
    private partial void LogFailed(Exception exception, string migration);

    [LoggerMessage(8, LogLevel.Warning, "Could not release the migration lock; it is released when the connection closes")]
    private partial void LogUnlockFailed(Exception exception);

    private sealed record RecordedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);
}
