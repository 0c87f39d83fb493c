using Npgsql;

namespace Tributary.Storage.Retention;

/// <summary>
/// Deletes what grows without bound: finished runs (with their batches), delivered events and webhook deliveries,
/// cleared grain-state rows, and membership rows of silos long dead or never active. Each method removes what is older
/// than its cutoff and returns how many rows went.
/// </summary>
public sealed class RetentionStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Finished runs that ended before <paramref name="before"/>, their batches, and their dead letters once replayed.
    /// A run with a dead letter not yet replayed is kept: it is work someone still has to look at.
    /// </summary>
    public async Task<(int Runs, int Batches, int DeadLetters)> PruneRunsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            """
            SELECT coalesce(array_agg(r.run_id), '{}') FROM job_runs r
            WHERE r.status IN ('succeeded', 'partially_succeeded', 'failed') AND r.finished_at < @before
              AND NOT EXISTS (SELECT 1 FROM job_dead_letters d WHERE d.run_id = r.run_id AND d.replayed_at IS NULL)
            """, connection, transaction);
        select.Parameters.AddWithValue("before", before);
        var runs = (Guid[])(await select.ExecuteScalarAsync(cancellationToken))!;
        async Task<int> DeleteAsync(string table)
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE run_id = ANY(@runs)", connection, transaction);
            delete.Parameters.AddWithValue("runs", runs);
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var letters = await DeleteAsync("job_dead_letters");
        var batches = await DeleteAsync("job_run_batches");
        var deleted = await DeleteAsync("job_runs");
        await transaction.CommitAsync(cancellationToken);
        return (deleted, batches, letters);
    }

    /// <summary>
    /// Webhook deliveries that ended (delivered or failed for good) before <paramref name="before"/>, then events older
    /// than it that every webhook has been given (past its cursor) and that no delivery still waits on.
    /// </summary>
    public async Task<(int Events, int Deliveries)> PruneEventsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var deliveries = new NpgsqlCommand(
            """
            DELETE FROM webhook_deliveries
            WHERE status IN ('delivered', 'failed') AND coalesce(delivered_at, next_attempt_at) < @before
            """, connection, transaction);
        deliveries.Parameters.AddWithValue("before", before);
        var deliveriesDeleted = await deliveries.ExecuteNonQueryAsync(cancellationToken);
        await using var events = new NpgsqlCommand(
            """
            DELETE FROM event_outbox e
            WHERE e.time < @before
              AND e.sequence <= coalesce((SELECT min(cursor_sequence) FROM webhooks WHERE active), 9223372036854775807)
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.sequence = e.sequence)
            """, connection, transaction);
        events.Parameters.AddWithValue("before", before);
        var eventsDeleted = await events.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (eventsDeleted, deliveriesDeleted);
    }

    /// <summary>Grain-state rows cleared (payload gone) before <paramref name="before"/>: a cleared grain reads as new without them.</summary>
    public async Task<int> PruneClearedGrainStateAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM orleans_grain_state WHERE payload IS NULL AND modified_at < @before");
        command.Parameters.AddWithValue("before", before);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// State rows of keyed job grains (<paramref name="keyPattern"/>, a <c>LIKE</c> pattern over the grain key, under state
    /// <paramref name="stateName"/>): one per bank connection or analysis task, which nothing else ever deletes. A row goes
    /// once it was last written before <paramref name="before"/>, has no run under way (<c>CurrentRunId</c>) and its last
    /// run is gone (pruned): then it names nothing that exists, and a grain activated for that key later starts empty.
    /// </summary>
    public async Task<int> PruneIdleKeyedJobStatesAsync(string stateName, string keyPattern, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM orleans_grain_state s
            WHERE s.state_name = $1 AND s.grain_id_extension LIKE $2 AND s.modified_at < $3 AND s.payload IS NOT NULL
              AND convert_from(s.payload, 'UTF8')::jsonb ->> 'CurrentRunId' IS NULL
              AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.run_id::text = convert_from(s.payload, 'UTF8')::jsonb ->> 'LastRunId')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = keyPattern });
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Membership rows of silos dead (status 6), or that never became active (0 none, 1 created, 2 joining), whose last
    /// sign of life is older than <paramref name="before"/>. Active, shutting-down and stopping silos are never touched.
    /// </summary>
    public async Task<int> PruneMembershipAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM orleans_membership_member WHERE status IN (0, 1, 2, 6) AND i_am_alive_time < @before");
        command.Parameters.AddWithValue("before", before);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
