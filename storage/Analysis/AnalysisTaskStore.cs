using Npgsql;
using NpgsqlTypes;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.Analysis;

/// <summary>
/// Analysis tasks and their sections (migration <c>0060_analysis_tasks.sql</c>). Each write is keyed by task and
/// section, so a write repeated after a crash changes nothing more; a completed section is never reopened.
/// </summary>
public sealed class AnalysisTaskStore
{
    private const string TaskColumns = "task_id, owner, status, provider, data::text, protected_token, error, created_at, started_at, finished_at";
    private const string SectionColumns = "task_id, section, position, status, result::text, error, attempts, started_at, finished_at";

    private readonly NpgsqlDataSource _dataSource;

    public AnalysisTaskStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Creates the task with its sections pending, in one statement; false when the task exists already (nothing changes).</summary>
    public async Task<bool> CreateAsync(AnalysisTaskRecord task, IReadOnlyList<string> sections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sections);
        if (sections.Count == 0)
        {
            throw new ArgumentException("A task has at least one section.", nameof(sections));
        }

        // The sections are inserted only beside a task row this statement inserted: one that existed keeps its own.
        await using var command = _dataSource.CreateCommand(
            """
            WITH task AS (
                INSERT INTO analysis_tasks (task_id, owner, status, provider, data, protected_token, created_at)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
                ON CONFLICT (task_id) DO NOTHING
                RETURNING task_id)
            INSERT INTO analysis_task_sections (task_id, section, position, status)
            SELECT task.task_id, s.section, s.position::int, 'pending'
            FROM task, unnest($8::text[]) WITH ORDINALITY AS s(section, position)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = task.TaskId });
        command.Parameters.Add(new NpgsqlParameter { Value = task.Owner });
        command.Parameters.Add(new NpgsqlParameter { Value = task.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = task.Provider });
        command.Parameters.Add(new NpgsqlParameter { Value = task.Data });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)task.ProtectedToken ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = task.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = sections.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<AnalysisTaskRecord?> GetAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {TaskColumns} FROM analysis_tasks WHERE task_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        return await ReadSingleAsync(command, ReadTask, cancellationToken);
    }

    public async Task<IReadOnlyList<AnalysisSectionRecord>> GetSectionsAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SectionColumns} FROM analysis_task_sections WHERE task_id = $1 ORDER BY position");
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        return await ReadAllAsync(command, ReadSection, cancellationToken);
    }

    /// <summary>A user's tasks (every user's when <paramref name="owner"/> is null), newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<AnalysisTaskRecord>> ListAsync(string? owner, string? status, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {TaskColumns} FROM analysis_tasks
            WHERE ($1::text IS NULL OR owner = $1) AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, task_id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(command, ReadTask, cancellationToken);
    }

    /// <summary>
    /// Takes the oldest pending task off the queue for the calling silo: it becomes running (started now), and no other
    /// silo takes it. Null when no task is pending.
    /// </summary>
    public async Task<TakenTask?> TakeNextAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH next AS (
                SELECT task_id FROM analysis_tasks WHERE status = 'pending'
                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE analysis_tasks t SET status = 'running', started_at = coalesce(t.started_at, $1)
            FROM next WHERE t.task_id = next.task_id
            RETURNING t.task_id, (SELECT count(*)::int FROM analysis_task_sections s WHERE s.task_id = t.task_id)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        return await ReadSingleAsync(command, r => new TakenTask(r.GetGuid(0), r.GetInt32(1)), cancellationToken);
    }

    /// <summary>Tasks taken from the queue before <paramref name="takenBefore"/> that have not ended: those whose run may need starting again.</summary>
    public async Task<IReadOnlyList<Guid>> ListRunningAsync(DateTimeOffset takenBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT task_id FROM analysis_tasks WHERE status = 'running' AND started_at < $1 ORDER BY created_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = takenBefore });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(command, r => r.GetGuid(0), cancellationToken);
    }

    /// <summary>An attempt at a section starts: counted, unless the section is completed already (then false).</summary>
    public async Task<bool> StartSectionAsync(Guid taskId, string section, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE analysis_task_sections SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, $3), error = NULL
            WHERE task_id = $1 AND section = $2 AND status <> 'completed'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        command.Parameters.Add(new NpgsqlParameter { Value = section });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A section's result; a section completed once keeps its first result.</summary>
    public async Task CompleteSectionAsync(Guid taskId, string section, string resultJson, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE analysis_task_sections SET status = 'completed', result = $3::jsonb, error = NULL, finished_at = $4
            WHERE task_id = $1 AND section = $2 AND status <> 'completed'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        command.Parameters.Add(new NpgsqlParameter { Value = section });
        command.Parameters.Add(new NpgsqlParameter { Value = resultJson });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Why the last attempt at a section failed; <paramref name="final"/> marks it failed for good.</summary>
    public async Task FailSectionAsync(Guid taskId, string section, string error, bool final, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE analysis_task_sections SET error = $3, status = CASE WHEN $4 THEN 'failed' ELSE status END,
                finished_at = CASE WHEN $4 THEN $5 ELSE finished_at END
            WHERE task_id = $1 AND section = $2 AND status <> 'completed'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        command.Parameters.Add(new NpgsqlParameter { Value = section });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        command.Parameters.Add(new NpgsqlParameter { Value = final });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the task: sections not completed are failed (with their last error, else <paramref name="reason"/>), the status
    /// follows from the sections, and the platform token is dropped. Returns the final status.
    /// </summary>
    public async Task<string> FinishAsync(Guid taskId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var sections = new NpgsqlCommand(
            """
            UPDATE analysis_task_sections SET status = 'failed', error = coalesce(error, $2), finished_at = coalesce(finished_at, $3)
            WHERE task_id = $1 AND status <> 'completed'
            """, connection, transaction))
        {
            sections.Parameters.Add(new NpgsqlParameter { Value = taskId });
            sections.Parameters.Add(new NpgsqlParameter { Value = reason });
            sections.Parameters.Add(new NpgsqlParameter { Value = at });
            await sections.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var finish = new NpgsqlCommand(
            """
            UPDATE analysis_tasks t SET
                status = CASE
                    WHEN s.failed = 0 THEN 'completed'
                    WHEN s.completed = 0 THEN 'failed'
                    ELSE 'completed_with_errors' END,
                error = CASE WHEN s.failed = 0 THEN NULL ELSE s.failed || ' of ' || (s.failed + s.completed) || ' sections failed' END,
                finished_at = coalesce(t.finished_at, $2),
                started_at = coalesce(t.started_at, $2),
                protected_token = NULL
            FROM (SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'completed') AS completed
                  FROM analysis_task_sections WHERE task_id = $1) s
            WHERE t.task_id = $1 AND t.status IN ('pending', 'running')
            RETURNING t.status
            """, connection, transaction);
        finish.Parameters.Add(new NpgsqlParameter { Value = taskId });
        finish.Parameters.Add(new NpgsqlParameter { Value = at });
        var status = await finish.ExecuteScalarAsync(cancellationToken) as string;
        await transaction.CommitAsync(cancellationToken);
        return status ?? (await GetAsync(taskId, cancellationToken))?.Status ?? TaskStatuses.Failed;
    }

    /// <summary>Deletes tasks created before <paramref name="before"/> (sections with them); how many.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM analysis_tasks WHERE created_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Tasks in all, sections being analysed and sections waiting, over unfinished tasks.</summary>
    public async Task<TaskLoad> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM analysis_tasks),
                   count(*) FILTER (WHERE s.status = 'running'),
                   count(*) FILTER (WHERE s.status = 'pending')
            FROM analysis_task_sections s JOIN analysis_tasks t USING (task_id)
            WHERE t.status IN ('pending', 'running')
            """);
        return (await ReadSingleAsync(command, r => new TaskLoad(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken))!;
    }

    private static AnalysisTaskRecord ReadTask(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));

    private static AnalysisSectionRecord ReadSection(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.GetInt32(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8));
}
