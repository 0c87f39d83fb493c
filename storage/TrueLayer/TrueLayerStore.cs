using System.Text.Json;
using Npgsql;
using Tributary.Storage.Events;
using NpgsqlTypes;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.TrueLayer;

/// <summary>
/// The TrueLayer import's rows (migration <c>0030_truelayer.sql</c>): connections and their protected tokens, OAuth
/// states, accounts, transactions, import jobs and their per-account progress.
/// </summary>
/// <remarks>
/// <para>
/// Token columns are Data Protection ciphertext made by the caller; this store never sees a plaintext token.
/// </para>
/// <para>
/// <see cref="CommitChunkAsync"/> writes a chunk of transactions and the counters that count it in one database
/// transaction, so an import that crashes and re-runs a chunk either finds both committed or neither. The counts are
/// taken from the rows as they were before the chunk, and rows the same job stored already are counted again by no
/// one: a chunk committed twice by one job counts once.
/// </para>
/// </remarks>
public sealed class TrueLayerStore
{
    /// <summary>
    /// The first key of the transaction-level advisory lock (<c>pg_advisory_xact_lock(int, int)</c>) a chunk commit
    /// holds on its account (second key: <c>hashtext(account_id)</c>), so that two commits for one account never
    /// count the same prior rows. The ASCII bytes of "TrLa".
    /// </summary>
    public const int AccountLockClass = 0x54_72_4C_61;

    private const string ConnectionColumns =
        "connection_id, owner, provider_id, provider_name, credentials_id, status, status_message, consent_expires_at, " +
        "refresh_token_protected, access_token_protected, access_token_expires_at, created_at, updated_at";

    private const string JobStatusColumns =
        "job_id, owner, connection_id, status, from_date, to_date, account_ids, auto_enrich, batch_size, max_workers, incremental, " +
        "estimated_accounts, estimated_transactions, estimated_duration_seconds, estimated_cost, run_id, error, created_at, started_at, finished_at, " +
        "total_accounts, completed_accounts, failed_accounts, syncing_accounts, synced, duplicates, errors, settled, percent";

    private const string ProgressColumns =
        "job_id, account_id, status, synced, duplicates, errors, settled, windows_total, windows_done, next_from, message, started_at, finished_at, updated_at";

    private static readonly string[] ConnectionStatuses = [StoredConnection.Active, StoredConnection.ReauthRequired];
    private static readonly string[] FinalJobStatuses = [ImportJobStatus.Completed, ImportJobStatus.PartiallyCompleted, ImportJobStatus.Failed];
    private static readonly string[] FinalAccountStatuses = [ImportProgress.Completed, ImportProgress.Failed];

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a store over the database <paramref name="dataSource"/> connects to.</summary>
    public TrueLayerStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    // ---- connections ----

    /// <summary>Stores a newly authorised connection with status <c>active</c>.</summary>
    public async Task CreateConnectionAsync(NewConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO truelayer_connections (connection_id, owner, provider_id, provider_name, credentials_id, status, consent_expires_at,
                refresh_token_protected, access_token_protected, access_token_expires_at, created_at, updated_at)
            VALUES (@id, @owner, @provider_id, @provider_name, @credentials_id, 'active', @consent_expires_at,
                @refresh, @access, @access_expires_at, now(), now())
            """);
        command.Parameters.AddWithValue("id", connection.ConnectionId);
        command.Parameters.AddWithValue("owner", connection.Owner);
        command.Parameters.Add(Text("provider_id", connection.ProviderId));
        command.Parameters.Add(Text("provider_name", connection.ProviderName));
        command.Parameters.Add(Text("credentials_id", connection.CredentialsId));
        command.Parameters.Add(Timestamp("consent_expires_at", connection.ConsentExpiresAt));
        command.Parameters.AddWithValue("refresh", connection.RefreshTokenProtected);
        command.Parameters.Add(Text("access", connection.AccessTokenProtected));
        command.Parameters.Add(Timestamp("access_expires_at", connection.AccessTokenExpiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ConnectionColumns} FROM truelayer_connections WHERE connection_id = @id");
        command.Parameters.AddWithValue("id", connectionId);
        return await ReadSingleAsync(command, ReadConnection, cancellationToken);
    }

    /// <summary>The connections of <paramref name="owner"/> (every owner's when null), newest first.</summary>
    public async Task<IReadOnlyList<StoredConnection>> ListConnectionsAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {ConnectionColumns} FROM truelayer_connections
            WHERE @owner::text IS NULL OR owner = @owner
            ORDER BY created_at DESC, connection_id DESC
            """);
        command.Parameters.Add(Text("owner", owner));
        return await ReadAllAsync(command, ReadConnection, cancellationToken);
    }

    /// <summary>Stores refreshed tokens; the connection is <c>active</c> again and its status message cleared.</summary>
    public async Task SaveTokensAsync(string connectionId, string refreshTokenProtected, string accessTokenProtected, DateTimeOffset accessTokenExpiresAt,
        CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE truelayer_connections
            SET refresh_token_protected = @refresh, access_token_protected = @access, access_token_expires_at = @expires_at,
                status = 'active', status_message = NULL, updated_at = now()
            WHERE connection_id = @id
            """);
        command.Parameters.AddWithValue("id", connectionId);
        command.Parameters.AddWithValue("refresh", refreshTokenProtected);
        command.Parameters.AddWithValue("access", accessTokenProtected);
        command.Parameters.AddWithValue("expires_at", accessTokenExpiresAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <param name="status"><see cref="StoredConnection.Active"/> or <see cref="StoredConnection.ReauthRequired"/>.</param>
    public async Task SetConnectionStatusAsync(string connectionId, string status, string? message, CancellationToken cancellationToken)
    {
        RequireOneOf(status, ConnectionStatuses, nameof(status));
        await using var command = _dataSource.CreateCommand(
            "UPDATE truelayer_connections SET status = @status, status_message = @message, updated_at = now() WHERE connection_id = @id");
        command.Parameters.AddWithValue("id", connectionId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(Text("message", message));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- auth states ----

    /// <summary>Stores an OAuth <c>state</c> (its hash) issued to <paramref name="owner"/>.</summary>
    public async Task CreateAuthStateAsync(string stateHash, string owner, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO truelayer_auth_states (state_hash, owner, created_at, expires_at) VALUES (@hash, @owner, @created_at, @expires_at)");
        command.Parameters.AddWithValue("hash", stateHash);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("created_at", createdAt.ToUniversalTime());
        command.Parameters.AddWithValue("expires_at", expiresAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Uses up an OAuth <c>state</c>: returns its owner the first time, before it expires; every other call is refused
    /// with the reason. One statement, so of two callbacks racing with one state exactly one succeeds.
    /// </summary>
    public async Task<AuthStateUse> ConsumeAuthStateAsync(string stateHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH used AS (
                UPDATE truelayer_auth_states SET used_at = @now
                WHERE state_hash = @hash AND used_at IS NULL AND expires_at > @now
                RETURNING owner
            )
            SELECT (SELECT owner FROM used), s.state_hash IS NOT NULL, s.used_at IS NOT NULL, s.expires_at > @now
            FROM (SELECT 1) AS one LEFT JOIN truelayer_auth_states s ON s.state_hash = @hash
            """);
        command.Parameters.AddWithValue("hash", stateHash);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.IsDBNull(0))
        {
            return new AuthStateUse(reader.GetString(0), null);
        }

        if (!reader.GetBoolean(1))
        {
            return new AuthStateUse(null, AuthStateProblem.Unknown);
        }

        // Unused and unexpired in this statement's snapshot but not updated: another call used it meanwhile.
        var expired = !reader.GetBoolean(2) && !reader.GetBoolean(3);
        return new AuthStateUse(null, expired ? AuthStateProblem.Expired : AuthStateProblem.AlreadyUsed);
    }

    // ---- accounts ----

    /// <summary>
    /// Inserts or refreshes a connection's accounts and cards. The sync columns (<c>last_synced_at</c>,
    /// <c>last_synced_at_incremental</c>, the measurements) are kept: only imports write them.
    /// </summary>
    public async Task UpsertAccountsAsync(string connectionId, string owner, IReadOnlyList<AccountRow> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO truelayer_accounts AS a (account_id, connection_id, owner, kind, account_type, currency, display_name, provider_id, created_at, updated_at)
            SELECT DISTINCT ON (u.account_id) u.account_id, @connection, @owner, u.kind, u.account_type, u.currency, u.display_name, u.provider_id, now(), now()
            FROM unnest(@ids::text[], @kinds::text[], @types::text[], @currencies::text[], @names::text[], @providers::text[]) WITH ORDINALITY
                AS u(account_id, kind, account_type, currency, display_name, provider_id, ordinal)
            ORDER BY u.account_id, u.ordinal DESC
            ON CONFLICT (account_id) DO UPDATE SET
                connection_id = excluded.connection_id, owner = excluded.owner, kind = excluded.kind, account_type = excluded.account_type,
                currency = excluded.currency, display_name = excluded.display_name, provider_id = excluded.provider_id, updated_at = now()
            WHERE (a.connection_id, a.owner, a.kind, a.account_type, a.currency, a.display_name, a.provider_id)
                IS DISTINCT FROM (excluded.connection_id, excluded.owner, excluded.kind, excluded.account_type, excluded.currency, excluded.display_name, excluded.provider_id)
            """);
        command.Parameters.AddWithValue("connection", connectionId);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ids", accounts.Select(a => a.AccountId).ToArray());
        command.Parameters.AddWithValue("kinds", accounts.Select(a => a.Kind).ToArray());
        command.Parameters.AddWithValue("types", accounts.Select(a => a.AccountType).ToArray());
        command.Parameters.AddWithValue("currencies", accounts.Select(a => a.Currency).ToArray());
        command.Parameters.AddWithValue("names", accounts.Select(a => a.DisplayName).ToArray());
        command.Parameters.AddWithValue("providers", accounts.Select(a => a.ProviderId).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A connection's accounts and cards, ordered by account id, each with its stored transaction count.</summary>
    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string connectionId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT a.account_id, a.connection_id, a.owner, a.kind, a.account_type, a.currency, a.display_name, a.provider_id,
                   a.last_synced_at, a.last_synced_at_incremental, a.transactions_per_day, a.avg_call_ms,
                   (SELECT count(*) FROM truelayer_transactions t WHERE t.account_id = a.account_id)
            FROM truelayer_accounts a
            WHERE a.connection_id = @connection
            ORDER BY a.account_id
            """);
        command.Parameters.AddWithValue("connection", connectionId);
        return await ReadAllAsync(command, r => new StoredAccount(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableString(r, 4), NullableString(r, 5), NullableString(r, 6),
            NullableString(r, 7), NullableTimestamp(r, 8), NullableTimestamp(r, 9), r.IsDBNull(10) ? null : r.GetDouble(10),
            r.IsDBNull(11) ? null : r.GetDouble(11), r.GetInt64(12)), cancellationToken);
    }

    /// <summary>
    /// Records an import of the account: <c>last_synced_at</c> becomes <paramref name="syncedAt"/>, the incremental
    /// mark moves to <paramref name="syncedUntil"/> only forwards (an older range imported later never moves it back),
    /// and a measurement that is null keeps the stored one.
    /// </summary>
    public async Task RecordAccountSyncAsync(string accountId, DateTimeOffset syncedAt, DateTimeOffset syncedUntil, double? transactionsPerDay, double? avgCallMs,
        CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE truelayer_accounts
            SET last_synced_at = @synced_at,
                last_synced_at_incremental = greatest(last_synced_at_incremental, @synced_until),
                transactions_per_day = coalesce(@per_day, transactions_per_day),
                avg_call_ms = coalesce(@call_ms, avg_call_ms),
                updated_at = now()
            WHERE account_id = @id
            """);
        command.Parameters.AddWithValue("id", accountId);
        command.Parameters.AddWithValue("synced_at", syncedAt.ToUniversalTime());
        command.Parameters.AddWithValue("synced_until", syncedUntil.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter("per_day", NpgsqlDbType.Double) { Value = (object?)transactionsPerDay ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("call_ms", NpgsqlDbType.Double) { Value = (object?)avgCallMs ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- import jobs ----

    /// <summary>
    /// Stores a planned job (status <c>planned</c>) and a <c>pending</c> progress row per account, in one transaction.
    /// Creating a job that exists already (a retried request) changes nothing.
    /// </summary>
    public async Task CreateImportJobAsync(NewImportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO truelayer_import_jobs (job_id, owner, connection_id, status, from_date, to_date, account_ids, auto_enrich, batch_size, max_workers,
                incremental, estimated_accounts, estimated_transactions, estimated_duration_seconds, estimated_cost, created_at)
            VALUES (@job, @owner, @connection, 'planned', @from, @to, @accounts, @auto_enrich, @batch_size, @max_workers,
                @incremental, @estimated_accounts, @estimated_transactions, @estimated_duration, @estimated_cost, @created_at)
            ON CONFLICT (job_id) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("job", job.JobId);
            insert.Parameters.AddWithValue("owner", job.Owner);
            insert.Parameters.AddWithValue("connection", job.ConnectionId);
            insert.Parameters.AddWithValue("from", job.FromDate);
            insert.Parameters.AddWithValue("to", job.ToDate);
            insert.Parameters.AddWithValue("accounts", job.AccountIds.ToArray());
            insert.Parameters.AddWithValue("auto_enrich", job.AutoEnrich);
            insert.Parameters.AddWithValue("batch_size", job.BatchSize);
            insert.Parameters.AddWithValue("max_workers", job.MaxWorkers);
            insert.Parameters.AddWithValue("incremental", job.Incremental);
            insert.Parameters.AddWithValue("estimated_accounts", job.EstimatedAccounts);
            insert.Parameters.AddWithValue("estimated_transactions", job.EstimatedTransactions);
            insert.Parameters.AddWithValue("estimated_duration", job.EstimatedDurationSeconds);
            insert.Parameters.AddWithValue("estimated_cost", job.EstimatedCost);
            insert.Parameters.AddWithValue("created_at", job.CreatedAt.ToUniversalTime());
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return;
            }
        }

        await using (var progress = new NpgsqlCommand(
            """
            INSERT INTO truelayer_import_progress (job_id, account_id, status, updated_at)
            SELECT @job, a, 'pending', @created_at FROM unnest(@accounts::text[]) AS a
            ON CONFLICT (job_id, account_id) DO NOTHING
            """, connection, transaction))
        {
            progress.Parameters.AddWithValue("job", job.JobId);
            progress.Parameters.AddWithValue("accounts", job.AccountIds.ToArray());
            progress.Parameters.AddWithValue("created_at", job.CreatedAt.ToUniversalTime());
            await progress.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The job with the roll-up of its accounts (<c>v_import_job_status</c>), or null if there is no such job.</summary>
    public async Task<ImportJobStatus?> GetImportJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {JobStatusColumns} FROM v_import_job_status WHERE job_id = @job");
        command.Parameters.AddWithValue("job", jobId);
        return await ReadSingleAsync(command, ReadJobStatus, cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> jobs of <paramref name="owner"/> (of every owner when null), newest first.</summary>
    public async Task<IReadOnlyList<ImportJobStatus>> ListImportJobsAsync(string? owner, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {JobStatusColumns} FROM v_import_job_status
            WHERE @owner::text IS NULL OR owner = @owner
            ORDER BY created_at DESC, job_id DESC
            LIMIT @limit
            """);
        command.Parameters.Add(Text("owner", owner));
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ReadJobStatus, cancellationToken);
    }

    /// <summary>
    /// Moves a planned job to <c>running</c> under <paramref name="runId"/>. True when it did, and when the job is
    /// running under that run id already (a retried start); false for any other run id or status.
    /// </summary>
    public async Task<bool> MarkImportStartedAsync(Guid jobId, Guid runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH started AS (
                UPDATE truelayer_import_jobs SET status = 'running', run_id = @run, started_at = @at
                WHERE job_id = @job AND status = 'planned'
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM started)
                OR EXISTS (SELECT 1 FROM truelayer_import_jobs WHERE job_id = @job AND status = 'running' AND run_id = @run)
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Ends a job. The first finish wins: finishing a finished job changes nothing.</summary>
    /// <param name="status"><c>completed</c>, <c>partially_completed</c> or <c>failed</c>.</param>
    public async Task FinishImportJobAsync(Guid jobId, string status, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        RequireOneOf(status, FinalJobStatuses, nameof(status));
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE truelayer_import_jobs SET status = @status, error = @error, finished_at = @at
            WHERE job_id = @job AND status NOT IN ('completed', 'partially_completed', 'failed')
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(Text("error", error));
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The job's per-account progress, ordered by account id.</summary>
    public async Task<IReadOnlyList<ImportProgress>> GetProgressAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ProgressColumns} FROM truelayer_import_progress WHERE job_id = @job ORDER BY account_id");
        command.Parameters.AddWithValue("job", jobId);
        return await ReadAllAsync(command, ReadProgress, cancellationToken);
    }

    /// <summary>One account's progress in a job; null when the job has no such account.</summary>
    public async Task<ImportProgress?> GetAccountProgressAsync(Guid jobId, string accountId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ProgressColumns} FROM truelayer_import_progress WHERE job_id = @job AND account_id = @account");
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("account", accountId);
        return (await ReadAllAsync(command, ReadProgress, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// Marks an account <c>syncing</c> with <paramref name="windowsTotal"/> windows. <c>started_at</c> and the cursor
    /// <c>next_from</c> are set only if unset, so a retried or resumed account continues where it was; a failed account
    /// that restarts is syncing again (its failure message cleared). A completed account stays completed. An account
    /// the job was not created with gets its progress row here.
    /// </summary>
    public async Task StartAccountAsync(Guid jobId, string accountId, int windowsTotal, DateOnly firstFrom, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO truelayer_import_progress AS p (job_id, account_id, status, windows_total, next_from, started_at, updated_at)
            VALUES (@job, @account, 'syncing', @windows_total, @first_from, @at, @at)
            ON CONFLICT (job_id, account_id) DO UPDATE SET
                status = 'syncing',
                windows_total = excluded.windows_total,
                next_from = coalesce(p.next_from, excluded.next_from),
                started_at = coalesce(p.started_at, excluded.started_at),
                finished_at = NULL,
                message = CASE WHEN p.status = 'failed' THEN NULL ELSE p.message END,
                updated_at = excluded.updated_at
            WHERE p.status <> 'completed'
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("windows_total", windowsTotal);
        command.Parameters.AddWithValue("first_from", firstFrom);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a finished window: the cursor and the windows done move forward only (a window checkpointed again after
    /// a crash moves nothing back and adds no errors twice), errors add up, and a null message keeps the stored one.
    /// <paramref name="progressEvent"/>, when given, is appended to the outbox in the same transaction: it exists exactly
    /// when the checkpoint it announces does.
    /// </summary>
    public async Task CheckpointWindowAsync(Guid jobId, string accountId, DateOnly nextFrom, int windowsDone, int errorsAdded, string? message,
        OutboxEvent? progressEvent, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(
            """
            UPDATE truelayer_import_progress
            SET errors = errors + CASE WHEN windows_done < @windows_done THEN @errors ELSE 0 END,
                next_from = greatest(next_from, @next_from),
                windows_done = greatest(windows_done, @windows_done),
                message = coalesce(@message, message),
                updated_at = now()
            WHERE job_id = @job AND account_id = @account
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("job", jobId);
            command.Parameters.AddWithValue("account", accountId);
            command.Parameters.AddWithValue("next_from", nextFrom);
            command.Parameters.AddWithValue("windows_done", windowsDone);
            command.Parameters.AddWithValue("errors", errorsAdded);
            command.Parameters.Add(Text("message", message));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (progressEvent is not null)
        {
            await Outbox.AppendAsync(connection, transaction, progressEvent, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Ends an account's part of the job; a null message keeps the stored one.</summary>
    /// <param name="status"><c>completed</c> or <c>failed</c>.</param>
    public async Task FinishAccountAsync(Guid jobId, string accountId, string status, string? message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        RequireOneOf(status, FinalAccountStatuses, nameof(status));
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE truelayer_import_progress
            SET status = @status, message = coalesce(@message, message), finished_at = @at, updated_at = @at
            WHERE job_id = @job AND account_id = @account
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(Text("message", message));
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---- transactions ----

    /// <summary>
    /// Stores one chunk of an account's transactions and adds what it counted to the account's progress, in one
    /// database transaction.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Rows are upserted on (account, dedup key). Rows of the chunk with the same key collapse first (settled wins over
    /// pending, else the later row). A settled row replaces a pending one in place; a pending row never replaces a
    /// settled one, though the job is still recorded as the last that saw it. <c>import_job_id</c> is set on insert
    /// only, <c>last_import_job_id</c> on every upsert.
    /// </para>
    /// <para>
    /// Counts come from the rows as they were before the chunk: keys not stored before are inserted; keys stored
    /// before by another job (or none) are duplicates, and of those, pending rows that arrive settled are settled.
    /// Keys this job stored or saw before count as neither, so a chunk re-run after a crash counts nothing twice.
    /// The commit holds an advisory lock on the account (<see cref="AccountLockClass"/>) so two commits for one account
    /// never count the same prior rows.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The job has no progress row for the account; nothing was stored.</exception>
    public async Task<ChunkCommit> CommitChunkAsync(Guid jobId, string accountId, IReadOnlyList<TransactionRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return new ChunkCommit(0, 0, 0);
        }

        foreach (var row in rows)
        {
            ArgumentException.ThrowIfNullOrEmpty(row.DedupKey, nameof(rows));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockAccount = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, hashtext(@account))", connection, transaction))
        {
            lockAccount.Parameters.AddWithValue("class", AccountLockClass);
            lockAccount.Parameters.AddWithValue("account", accountId);
            await lockAccount.ExecuteNonQueryAsync(cancellationToken);
        }

        ChunkCommit counted;
        await using (var upsert = new NpgsqlCommand(ChunkSql, connection, transaction))
        {
            upsert.Parameters.AddWithValue("job", jobId);
            upsert.Parameters.AddWithValue("account", accountId);
            upsert.Parameters.AddWithValue("dedup_keys", rows.Select(r => r.DedupKey).ToArray());
            upsert.Parameters.AddWithValue("transaction_ids", rows.Select(r => r.TransactionId).ToArray());
            upsert.Parameters.AddWithValue("normalised_ids", rows.Select(r => r.NormalisedProviderTransactionId).ToArray());
            upsert.Parameters.AddWithValue("provider_ids", rows.Select(r => r.ProviderTransactionId).ToArray());
            upsert.Parameters.AddWithValue("booked_at", rows.Select(r => r.BookedAt.UtcDateTime).ToArray());
            upsert.Parameters.AddWithValue("descriptions", rows.Select(r => r.Description).ToArray());
            upsert.Parameters.AddWithValue("amounts", rows.Select(r => r.Amount).ToArray());
            upsert.Parameters.AddWithValue("currencies", rows.Select(r => r.Currency).ToArray());
            upsert.Parameters.AddWithValue("types", rows.Select(r => r.TransactionType).ToArray());
            upsert.Parameters.AddWithValue("categories", rows.Select(r => r.TransactionCategory).ToArray());
            // A text[] per row can't go through unnest (arrays are rectangular): each row's list travels as a JSON array.
            upsert.Parameters.AddWithValue("classifications", rows.Select(r => JsonSerializer.Serialize(r.Classification ?? [])).ToArray());
            upsert.Parameters.AddWithValue("merchants", rows.Select(r => r.MerchantName).ToArray());
            upsert.Parameters.AddWithValue("balances", rows.Select(r => r.RunningBalance).ToArray());
            upsert.Parameters.AddWithValue("balance_currencies", rows.Select(r => r.RunningBalanceCurrency).ToArray());
            upsert.Parameters.AddWithValue("pending", rows.Select(r => r.Pending).ToArray());
            upsert.Parameters.AddWithValue("raw", rows.Select(r => r.RawJson).ToArray());
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt32(3) == 0)
            {
                throw new InvalidOperationException(
                    $"Import job {jobId} has no progress row for account {accountId}, so the chunk was not stored: " +
                    "create the job with the account or start the account (StartAccountAsync) before committing its transactions.");
            }

            counted = new ChunkCommit(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        }

        // Rows the upsert left alone (a pending row arriving for a settled one) were still seen by this job.
        await using (var stamp = new NpgsqlCommand(
            """
            UPDATE truelayer_transactions SET last_import_job_id = @job
            WHERE account_id = @account AND dedup_key = ANY(@dedup_keys) AND last_import_job_id IS DISTINCT FROM @job
            """, connection, transaction))
        {
            stamp.Parameters.AddWithValue("job", jobId);
            stamp.Parameters.AddWithValue("account", accountId);
            stamp.Parameters.AddWithValue("dedup_keys", rows.Select(r => r.DedupKey).Distinct(StringComparer.Ordinal).ToArray());
            await stamp.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return counted;
    }

    /// <remarks>
    /// All CTEs of one statement read one snapshot, so <c>prior</c> sees the rows as they were before the upsert.
    /// An unchanged row seen again by the job that last saw it is not rewritten.
    /// </remarks>
    private const string ChunkSql =
        """
        WITH incoming AS (
            SELECT DISTINCT ON (u.dedup_key) u.*
            FROM unnest(@dedup_keys::text[], @transaction_ids::text[], @normalised_ids::text[], @provider_ids::text[], @booked_at::timestamptz[],
                        @descriptions::text[], @amounts::numeric[], @currencies::text[], @types::text[], @categories::text[], @classifications::text[],
                        @merchants::text[], @balances::numeric[], @balance_currencies::text[], @pending::boolean[], @raw::text[])
                 WITH ORDINALITY AS u(dedup_key, transaction_id, normalised_provider_transaction_id, provider_transaction_id, booked_at,
                                      description, amount, currency, transaction_type, transaction_category, classification,
                                      merchant_name, running_balance, running_balance_currency, pending, raw, ordinal)
            ORDER BY u.dedup_key, u.pending, u.ordinal DESC
        ),
        prior AS (
            SELECT t.dedup_key, t.pending, t.last_import_job_id
            FROM truelayer_transactions t
            WHERE t.account_id = @account AND t.dedup_key IN (SELECT dedup_key FROM incoming)
        ),
        counts AS (
            SELECT
                (SELECT count(*) FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.dedup_key = i.dedup_key))::integer AS inserted,
                (SELECT count(*) FROM prior p WHERE p.last_import_job_id IS DISTINCT FROM @job)::integer AS duplicates,
                (SELECT count(*) FROM prior p JOIN incoming i ON i.dedup_key = p.dedup_key
                 WHERE p.last_import_job_id IS DISTINCT FROM @job AND p.pending AND NOT i.pending)::integer AS settled
        ),
        upserted AS (
            INSERT INTO truelayer_transactions AS t (account_id, dedup_key, transaction_id, normalised_provider_transaction_id, provider_transaction_id,
                booked_at, description, amount, currency, transaction_type, transaction_category, transaction_classification, merchant_name,
                running_balance, running_balance_currency, pending, raw, import_job_id, last_import_job_id, created_at, updated_at)
            SELECT @account, i.dedup_key, i.transaction_id, i.normalised_provider_transaction_id, i.provider_transaction_id,
                i.booked_at, i.description, i.amount, i.currency, i.transaction_type, i.transaction_category,
                ARRAY(SELECT jsonb_array_elements_text(i.classification::jsonb)), i.merchant_name,
                i.running_balance, i.running_balance_currency, i.pending, i.raw::jsonb, @job, @job, now(), now()
            FROM incoming i
            ORDER BY i.dedup_key
            ON CONFLICT (account_id, dedup_key) DO UPDATE SET
                transaction_id = excluded.transaction_id,
                normalised_provider_transaction_id = excluded.normalised_provider_transaction_id,
                provider_transaction_id = excluded.provider_transaction_id,
                booked_at = excluded.booked_at,
                description = excluded.description,
                amount = excluded.amount,
                currency = excluded.currency,
                transaction_type = excluded.transaction_type,
                transaction_category = excluded.transaction_category,
                transaction_classification = excluded.transaction_classification,
                merchant_name = excluded.merchant_name,
                running_balance = excluded.running_balance,
                running_balance_currency = excluded.running_balance_currency,
                pending = excluded.pending,
                raw = excluded.raw,
                last_import_job_id = excluded.last_import_job_id,
                updated_at = now()
            WHERE (t.pending OR NOT excluded.pending)
              AND (t.last_import_job_id IS DISTINCT FROM excluded.last_import_job_id
                   OR (t.transaction_id, t.normalised_provider_transaction_id, t.provider_transaction_id, t.booked_at, t.description, t.amount,
                       t.currency, t.transaction_type, t.transaction_category, t.transaction_classification, t.merchant_name, t.running_balance,
                       t.running_balance_currency, t.pending, t.raw)
                      IS DISTINCT FROM
                      (excluded.transaction_id, excluded.normalised_provider_transaction_id, excluded.provider_transaction_id, excluded.booked_at,
                       excluded.description, excluded.amount, excluded.currency, excluded.transaction_type, excluded.transaction_category,
                       excluded.transaction_classification, excluded.merchant_name, excluded.running_balance, excluded.running_balance_currency,
                       excluded.pending, excluded.raw))
        ),
        progress AS (
            UPDATE truelayer_import_progress p
            SET synced = p.synced + c.inserted, duplicates = p.duplicates + c.duplicates, settled = p.settled + c.settled, updated_at = now()
            FROM counts c
            WHERE p.job_id = @job AND p.account_id = @account
            RETURNING 1
        )
        SELECT c.inserted, c.duplicates, c.settled, (SELECT count(*) FROM progress)::integer FROM counts c
        """;

    // ---- reading ----

    private static StoredConnection ReadConnection(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3), NullableString(r, 4), r.GetString(5), NullableString(r, 6),
        NullableTimestamp(r, 7), r.GetString(8), NullableString(r, 9), NullableTimestamp(r, 10),
        r.GetFieldValue<DateTimeOffset>(11), r.GetFieldValue<DateTimeOffset>(12));

    private static ImportJobStatus ReadJobStatus(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateOnly>(4), r.GetFieldValue<DateOnly>(5),
        r.GetFieldValue<string[]>(6), r.GetBoolean(7), r.GetInt32(8), r.GetInt32(9), r.GetBoolean(10),
        r.GetInt32(11), r.GetInt32(12), r.GetInt32(13), r.GetDecimal(14), r.IsDBNull(15) ? null : r.GetGuid(15), NullableString(r, 16),
        r.GetFieldValue<DateTimeOffset>(17), NullableTimestamp(r, 18), NullableTimestamp(r, 19),
        r.GetInt32(20), r.GetInt32(21), r.GetInt32(22), r.GetInt32(23), r.GetInt64(24), r.GetInt64(25), r.GetInt64(26), r.GetInt64(27), r.GetDecimal(28));

    private static ImportProgress ReadProgress(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9), NullableString(r, 10), NullableTimestamp(r, 11), NullableTimestamp(r, 12),
        r.GetFieldValue<DateTimeOffset>(13));

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? NullableTimestamp(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value };

    private static void RequireOneOf(string value, string[] allowed, string parameter)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The status must be one of {string.Join(", ", allowed)}, was '{value}'.", parameter);
        }
    }
}
