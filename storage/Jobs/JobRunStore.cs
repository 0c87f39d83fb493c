using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Tributary.Storage.Events;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.Jobs;

/// <summary>
/// The job runtime's rows: runs, batch checkpoints, dead letters. Every state change that is announced
/// commits together with its outbox event.
/// </summary>
public sealed class JobRunStore(NpgsqlDataSource dataSource)
{
    /// <summary>The SQLSTATE <c>tributary_require</c> raises (migration 0080).</summary>
    private const string RequirementFailed = "TR001";

    private const string RunColumns =
        "run_id, job, trigger, status, account_id, parameters::text, scheduled_for, replay_of, items, batch_size, " +
        "created_at, started_at, finished_at, total_batches, failed_batches, items_processed, error, run_key";

    private const string BatchColumns =
        "run_id, batch_index, item_offset, item_count, status, items_processed, attempts, duration_ms, error, started_at, finished_at, details::text";

    private const string DeadLetterColumns =
        "dead_letter_id, job, run_id, batch_index, items, account_id, parameters::text, error, attempts, created_at, replayed_at, replay_run_id";

    /// <summary>
    /// Inserts a running run. Inserts nothing and returns the run that is already there (<c>Created = false</c>)
    /// when the schedule occurrence was served already (duplicate ticks), when the idempotency key was used
    /// already (a retried trigger), or when the job's run key has an active run (single-flight, enforced by the
    /// database so that no two silos can both start one).
    /// </summary>
    public async Task<(JobRunRecord Run, bool Created)> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO job_runs (run_id, job, run_key, idempotency_key, trigger, status, account_id, parameters, scheduled_for, replay_of, items, batch_size, started_at)
            VALUES (@run_id, @job, @run_key, @idempotency_key, @trigger, 'running', @account_id, @parameters, @scheduled_for, @replay_of, @items, @batch_size, now())
            ON CONFLICT DO NOTHING
            RETURNING {RunColumns}
            """);
        command.Parameters.AddWithValue("run_id", run.RunId);
        command.Parameters.AddWithValue("job", run.Job);
        command.Parameters.Add(new NpgsqlParameter("run_key", NpgsqlDbType.Text) { Value = (object?)run.RunKey ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("idempotency_key", NpgsqlDbType.Text) { Value = (object?)run.IdempotencyKey ?? DBNull.Value });
        command.Parameters.AddWithValue("trigger", run.Trigger.ToText());
        command.Parameters.AddWithValue("account_id", (object?)run.AccountId ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("parameters", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(run.Parameters) });
        command.Parameters.Add(new NpgsqlParameter("scheduled_for", NpgsqlDbType.TimestampTz) { Value = (object?)run.ScheduledFor?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("replay_of", NpgsqlDbType.Bigint) { Value = (object?)run.ReplayOf ?? DBNull.Value });
        command.Parameters.AddWithValue("items", run.Items.ToArray());
        command.Parameters.AddWithValue("batch_size", run.BatchSize);
        var created = await ReadSingleAsync(command, ReadRun, cancellationToken);
        if (created is not null)
        {
            return (created, true);
        }

        var existing = (run.ScheduledFor is { } at ? await FindOccurrenceAsync(run.Job, run.RunKey, at, cancellationToken) : null)
            ?? (run.IdempotencyKey is { } key ? await FindByIdempotencyKeyAsync(run.Job, key, cancellationToken) : null)
            ?? await FindActiveRunAsync(run.Job, run.RunKey, cancellationToken)
            ?? throw new InvalidOperationException($"Run {run.RunId} of {run.Job} was neither inserted nor found beside another; try again.");
        return (existing, false);
    }

    /// <summary>The run of <paramref name="job"/>/<paramref name="runKey"/> that is not final yet, if any.</summary>
    public async Task<JobRunRecord?> FindActiveRunAsync(string job, string? runKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {RunColumns} FROM job_runs WHERE job = @job AND run_key IS NOT DISTINCT FROM @key AND status IN ('queued', 'running', 'paused')");
        command.Parameters.AddWithValue("job", job);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = (object?)runKey ?? DBNull.Value });
        return await ReadSingleAsync(command, ReadRun, cancellationToken);
    }

    /// <summary>The run a trigger with this idempotency key created, if any.</summary>
    public async Task<JobRunRecord?> FindByIdempotencyKeyAsync(string job, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM job_runs WHERE job = @job AND idempotency_key = @key");
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("key", idempotencyKey);
        return await ReadSingleAsync(command, ReadRun, cancellationToken);
    }

    /// <summary>Every job and run key with an active run: what a supervisor makes sure is being driven.</summary>
    public async Task<IReadOnlyList<(string Job, string? RunKey, Guid RunId)>> ListActiveRunsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT job, run_key, run_id FROM job_runs WHERE status IN ('queued', 'running', 'paused') ORDER BY created_at");
        return await ReadAllAsync(command, r => (r.GetString(0), NullableString(r, 1), r.GetGuid(2)), cancellationToken);
    }

    public async Task<JobRunRecord?> FindOccurrenceAsync(string job, string? runKey, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {RunColumns} FROM job_runs WHERE job = @job AND run_key IS NOT DISTINCT FROM @runKey AND scheduled_for = @at");
        command.Parameters.AddWithValue("job", job);
        command.Parameters.Add(new Npgsql.NpgsqlParameter("runKey", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)runKey ?? DBNull.Value });
        command.Parameters.AddWithValue("at", scheduledFor.ToUniversalTime());
        return await ReadSingleAsync(command, ReadRun, cancellationToken);
    }

    public async Task<JobRunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM job_runs WHERE run_id = @id");
        command.Parameters.AddWithValue("id", runId);
        return await ReadSingleAsync(command, ReadRun, cancellationToken);
    }

    /// <summary>Newest first; filters are optional.</summary>
    public async Task<IReadOnlyList<JobRunRecord>> ListRunsAsync(string? job, RunStatus? status, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {RunColumns} FROM job_runs
            WHERE (@job::text IS NULL OR job = @job) AND (@status::text IS NULL OR status = @status)
            ORDER BY created_at DESC, run_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Text) { Value = (object?)job ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status?.ToText() ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ReadRun, cancellationToken);
    }

    public async Task<IReadOnlyList<JobBatchRecord>> GetBatchesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {BatchColumns} FROM job_run_batches WHERE run_id = @id ORDER BY batch_index");
        command.Parameters.AddWithValue("id", runId);
        return await ReadAllAsync(command, ReadBatch, cancellationToken);
    }

    /// <summary>
    /// What <paramref name="job"/>'s runs got done per UTC day from <paramref name="fromDay"/> on: the items its succeeded
    /// batches processed, counted on the day each batch finished, and how many runs those batches belong to. Days
    /// without a succeeded batch are left out.
    /// </summary>
    public async Task<IReadOnlyList<JobDayRecord>> ItemsPerDayAsync(string job, DateOnly fromDay, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (b.finished_at AT TIME ZONE 'UTC')::date AS day, sum(b.items_processed)::bigint, count(DISTINCT b.run_id)::int
            FROM job_run_batches b JOIN job_runs r ON r.run_id = b.run_id
            WHERE r.job = @job AND b.status = 'succeeded' AND b.finished_at >= @from
            GROUP BY day
            ORDER BY day
            """);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("from", new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return await ReadAllAsync(command, r => new JobDayRecord(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetInt32(2)), cancellationToken);
    }

    /// <summary>Records that a batch (a slice of the run's items) is being processed: the checkpoint before the work.</summary>
    public Task ClaimBatchAsync(Guid runId, int batchIndex, int itemOffset, int itemCount, CancellationToken cancellationToken) =>
        ClaimBatchesAsync(runId, [(batchIndex, itemOffset, itemCount)], cancellationToken);

    /// <summary>Claims several batches at once, in one statement (a run's parallel workers' first slices); a batch claimed before stays as it is.</summary>
    public async Task ClaimBatchesAsync(Guid runId, IReadOnlyList<(int Index, int Offset, int Count)> slices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slices);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO job_run_batches (run_id, batch_index, item_offset, item_count, status)
            SELECT @run, s.batch_index, s.item_offset, s.item_count, 'running'
            FROM unnest(@indexes, @offsets, @counts) AS s (batch_index, item_offset, item_count)
            ON CONFLICT (run_id, batch_index) DO NOTHING
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("indexes", slices.Select(s => s.Index).ToArray());
        command.Parameters.AddWithValue("offsets", slices.Select(s => s.Offset).ToArray());
        command.Parameters.AddWithValue("counts", slices.Select(s => s.Count).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks a batch done and appends its progress event, in one transaction.</summary>
    /// <param name="details">The batch's own facts as a JSON object (<c>BatchResult.Details</c>), kept with the checkpoint.</param>
    public async Task CompleteBatchAsync(Guid runId, int batchIndex, int itemsProcessed, int attempts, TimeSpan duration, OutboxEvent progress, CancellationToken cancellationToken,
        string? details = null)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UpdateBatch(runId, batchIndex, JobBatchRecord.Succeeded, itemsProcessed, attempts, duration, null, details));
        await WriteWithEventAsync(batch, progress, cancellationToken);
    }

    /// <summary>Marks a batch dead-lettered, stores what is needed to replay it, and appends the event, in one transaction.</summary>
    public async Task DeadLetterBatchAsync(JobRunRecord run, int batchIndex, IReadOnlyList<string> items, string error, int attempts, TimeSpan duration, OutboxEvent progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UpdateBatch(run.RunId, batchIndex, JobBatchRecord.DeadLettered, 0, attempts, duration, error));
        var letter = new NpgsqlBatchCommand(
            """
            INSERT INTO job_dead_letters (job, run_id, batch_index, items, account_id, parameters, error, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (run_id, batch_index) DO UPDATE SET error = excluded.error, attempts = excluded.attempts
            """);
        letter.Parameters.Add(new NpgsqlParameter { Value = run.Job });
        letter.Parameters.Add(new NpgsqlParameter { Value = run.RunId });
        letter.Parameters.Add(new NpgsqlParameter { Value = batchIndex });
        letter.Parameters.Add(new NpgsqlParameter { Value = items.ToArray() });
        letter.Parameters.Add(new NpgsqlParameter { Value = (object?)run.AccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        letter.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(run.Parameters), NpgsqlDbType = NpgsqlDbType.Jsonb });
        letter.Parameters.Add(new NpgsqlParameter { Value = error });
        letter.Parameters.Add(new NpgsqlParameter { Value = attempts });
        batch.BatchCommands.Add(letter);
        await WriteWithEventAsync(batch, progress, cancellationToken);
    }

    /// <summary>
    /// Sends a batch's checkpoint statements (the first updates the batch's row) with its event in one round trip and one
    /// implicit transaction; a batch that was never claimed changes nothing (<see cref="InvalidOperationException"/>).
    /// </summary>
    /// <remarks>
    /// No explicit transaction: PostgreSQL runs the statements up to the batch's one Sync as a single transaction and
    /// commits it there, so the outbox's append lock (<see cref="Outbox.AddAppend"/>) is held while the server runs the
    /// rest of the batch, not across a further client round trip for the COMMIT. The claim check is therefore made by the
    /// first statement itself (<c>tributary_require</c>, migration 0080): a failed check aborts the whole transaction.
    /// </remarks>
    private static async Task WriteWithEventAsync(NpgsqlBatch batch, OutboxEvent progress, CancellationToken cancellationToken)
    {
        Outbox.AddAppend(batch, progress);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await Outbox.ReadSequenceAsync(reader, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == RequirementFailed)
        {
            throw new InvalidOperationException(exception.MessageText, exception);
        }
    }

    /// <summary>
    /// Ends a run: totals from its batches, the final status, and the completion event built from the
    /// finished run, committed together. Returns the finished run. A run already final is returned unchanged.
    /// </summary>
    public async Task<JobRunRecord> FinishRunAsync(Guid runId, RunStatus status, string? error, Func<JobRunRecord, OutboxEvent> completion, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            $"""
            UPDATE job_runs r SET
                status = @status,
                error = @error,
                finished_at = now(),
                total_batches = b.total,
                failed_batches = b.failed,
                items_processed = b.items
            FROM (SELECT count(*)::int AS total,
                         count(*) FILTER (WHERE status = 'dead_lettered')::int AS failed,
                         coalesce(sum(items_processed), 0)::int AS items
                  FROM job_run_batches WHERE run_id = @run) b
            WHERE r.run_id = @run AND r.status NOT IN ('succeeded', 'partially_succeeded', 'failed')
            RETURNING {string.Join(", ", RunColumns.Split(", ").Select(c => "r." + c))}
            """, connection, transaction);
        update.Parameters.AddWithValue("run", runId);
        update.Parameters.AddWithValue("status", status.ToText());
        update.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        var finished = await ReadSingleAsync(update, ReadRun, cancellationToken);
        if (finished is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await GetRunAsync(runId, cancellationToken) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        }

        await Outbox.AppendAsync(connection, transaction, completion(finished), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return finished;
    }

    public async Task<IReadOnlyList<DeadLetterRecord>> ListDeadLettersAsync(string? job, bool includeReplayed, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {DeadLetterColumns} FROM job_dead_letters
            WHERE (@job::text IS NULL OR job = @job) AND (@all OR replayed_at IS NULL)
            ORDER BY dead_letter_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Text) { Value = (object?)job ?? DBNull.Value });
        command.Parameters.AddWithValue("all", includeReplayed);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ReadDeadLetter, cancellationToken);
    }

    public async Task<DeadLetterRecord?> GetDeadLetterAsync(long deadLetterId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DeadLetterColumns} FROM job_dead_letters WHERE dead_letter_id = @id");
        command.Parameters.AddWithValue("id", deadLetterId);
        return await ReadSingleAsync(command, ReadDeadLetter, cancellationToken);
    }

    /// <summary>Marks dead letters as replayed by <paramref name="replayRunId"/> once that run finished.</summary>
    public async Task MarkReplayedAsync(IReadOnlyCollection<long> deadLetterIds, Guid replayRunId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE job_dead_letters SET replayed_at = now(), replay_run_id = @run WHERE dead_letter_id = ANY(@ids) AND replayed_at IS NULL");
        command.Parameters.AddWithValue("ids", deadLetterIds.ToArray());
        command.Parameters.AddWithValue("run", replayRunId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ends a batch's row and moves its run's totals (batches done, dead-lettered, items processed) by what this change
    /// made of the row, in one statement, so listings show progress before the run ends. The totals move only by the
    /// difference between the row before and after (a batch ended twice counts once), under the run row's lock, so
    /// concurrent batches of a run never lose each other's counts; <see cref="FinishRunAsync"/> sets them once more, from
    /// every batch. Checked in the statement (see <see cref="WriteWithEventAsync"/>): updating no row fails the batch's
    /// transaction.
    /// </summary>
    private static NpgsqlBatchCommand UpdateBatch(Guid runId, int batchIndex, string status, int itemsProcessed, int attempts, TimeSpan duration, string? error,
        string? details = null)
    {
        var command = new NpgsqlBatchCommand(
            """
            WITH before AS (
                SELECT status, items_processed FROM job_run_batches WHERE run_id = $7 AND batch_index = $8 FOR UPDATE
            ), updated AS (
                UPDATE job_run_batches b
                SET status = $1, items_processed = $2, attempts = $3, duration_ms = $4, error = $5, finished_at = now(), details = $6::jsonb
                FROM before
                WHERE b.run_id = $7 AND b.batch_index = $8
                RETURNING before.status AS was, before.items_processed AS had
            ), progress AS (
                UPDATE job_runs r SET
                    total_batches = r.total_batches + (u.was = 'running')::int,
                    failed_batches = r.failed_batches + ($1 = 'dead_lettered')::int - (u.was = 'dead_lettered')::int,
                    items_processed = r.items_processed + $2 - u.had
                FROM updated u
                WHERE r.run_id = $7 AND r.status NOT IN ('succeeded', 'partially_succeeded', 'failed')
            )
            SELECT tributary_require(EXISTS (SELECT 1 FROM updated), 'Batch ' || $8 || ' of run ' || $7 || ' was never claimed.') AS claimed
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = itemsProcessed });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)details ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = batchIndex });
        return command;
    }

    private static JobRunRecord ReadRun(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), RunTrigger.FromText(r.GetString(2)), RunStatus.FromText(r.GetString(3)), NullableString(r, 4), ReadParameters(r.GetString(5)),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetInt64(7),
        r.GetFieldValue<string[]>(8), r.GetInt32(9), r.GetFieldValue<DateTimeOffset>(10),
        r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12),
        r.GetInt32(13), r.GetInt32(14), r.GetInt32(15), NullableString(r, 16), NullableString(r, 17));

    private static JobBatchRecord ReadBatch(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetString(4), r.GetInt32(5), r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetInt32(7), NullableString(r, 8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), NullableString(r, 11));

    private static DeadLetterRecord ReadDeadLetter(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetInt32(3), r.GetFieldValue<string[]>(4), NullableString(r, 5),
        ReadParameters(r.GetString(6)), r.GetString(7), r.GetInt32(8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetGuid(11));

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static Dictionary<string, string> ReadParameters(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
