using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.Events;

/// <summary>
/// Writes CloudEvents into <c>event_outbox</c> inside the caller's transaction, so an event exists
/// exactly when the state it announces was committed; reads the stream back in order.
/// </summary>
public sealed class Outbox(NpgsqlDataSource dataSource)
{
    /// <summary>PostgreSQL channel notified (in the same transaction) when events are appended.</summary>
    public const string Channel = "tributary_events";

    /// <summary>Advisory lock key that orders appends (ASCII "Outbox" in the low bytes).</summary>
    public const long AppendLockKey = 0x4F75_7462_6F78;

    private static readonly JsonEventFormatter Formatter = new();

    /// <summary>Appends <paramref name="outboxEvent"/> in <paramref name="transaction"/> and returns its sequence (one round trip).</summary>
    public static async Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddAppend(batch, outboxEvent);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadSequenceAsync(reader, cancellationToken);
    }

    /// <summary>
    /// Adds the append of <paramref name="outboxEvent"/> to <paramref name="batch"/>, so that a store can write its state
    /// and the event that announces it in one round trip; <see cref="ReadSequenceAsync"/> reads the sequence back.
    /// </summary>
    /// <remarks>
    /// Readers resume after the highest sequence they saw, so sequences must become visible in order. A bigserial is
    /// drawn at insert, not at commit: two transactions could commit 11 before 10 and a reader at 11 would never see 10.
    /// Holding the append lock from the insert to the commit makes the draw order the commit order. Every writer holds it
    /// until its commit, so the fewer client round trips between the lock and the commit, the less the writers queue:
    /// the append goes last in its batch. It is one statement (<c>tributary_outbox_append</c>, migration 0090): the lock,
    /// the insert and the notification that wakes stream readers at commit (they still read the table, so a missed
    /// notification costs only latency).
    /// </remarks>
    public static void AddAppend(NpgsqlBatch batch, OutboxEvent outboxEvent)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var append = new NpgsqlBatchCommand("SELECT tributary_outbox_append($1, $2, $3, $4, $5, $6, $7, $8, $9) AS sequence");
        append.Parameters.Add(new NpgsqlParameter { Value = AppendLockKey });
        append.Parameters.Add(new NpgsqlParameter { Value = Channel });
        append.Parameters.Add(new NpgsqlParameter { Value = outboxEvent.Id });
        append.Parameters.Add(new NpgsqlParameter { Value = outboxEvent.Type });
        append.Parameters.Add(new NpgsqlParameter { Value = outboxEvent.Source });
        append.Parameters.Add(new NpgsqlParameter { Value = (object?)outboxEvent.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        append.Parameters.Add(new NpgsqlParameter { Value = (object?)outboxEvent.Job ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        append.Parameters.Add(new NpgsqlParameter { Value = outboxEvent.Time.ToUniversalTime() });
        append.Parameters.Add(new NpgsqlParameter { Value = Serialize(outboxEvent), NpgsqlDbType = NpgsqlDbType.Jsonb });
        batch.BatchCommands.Add(append);
    }

    /// <summary>Reads the sequence <see cref="AddAppend"/> drew, consuming the batch's results (so its errors surface here).</summary>
    /// <remarks>Found by its column's name: a reader skips the statements that return no rows, so positions do not tell.</remarks>
    public static async Task<long> ReadSequenceAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long? sequence = null;
        do
        {
            if (reader.FieldCount == 1 && reader.GetName(0) == "sequence" && await reader.ReadAsync(cancellationToken))
            {
                sequence = reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return sequence ?? throw new InvalidOperationException("The outbox insert returned no sequence.");
    }

    /// <summary>Events after <paramref name="afterSequence"/>, oldest first, optionally of some types or jobs.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(long afterSequence, int limit, IReadOnlyCollection<string>? types, IReadOnlyCollection<string>? jobs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT sequence, event_id, type, job, time, event::text
            FROM event_outbox
            WHERE sequence > @after
              AND (cardinality(@types) = 0 OR type = ANY(@types))
              AND (cardinality(@jobs) = 0 OR job = ANY(@jobs))
            ORDER BY sequence
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("after", afterSequence);
        command.Parameters.AddWithValue("types", (types ?? []).ToArray());
        command.Parameters.AddWithValue("jobs", (jobs ?? []).ToArray());
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }

        return events;
    }

    /// <summary>The newest sequence, or 0 when the outbox is empty.</summary>
    public async Task<long> LatestSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(sequence), 0) FROM event_outbox");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Structured-mode CloudEvents JSON, built by the CloudEvents SDK so required attributes are checked.</summary>
    public static string Serialize(OutboxEvent outboxEvent)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = outboxEvent.Id.ToString(),
            Type = outboxEvent.Type,
            Source = new Uri(outboxEvent.Source, UriKind.RelativeOrAbsolute),
            Subject = outboxEvent.Subject,
            Time = outboxEvent.Time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = outboxEvent.Data,
        };
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        return Encoding.UTF8.GetString(body.Span);
    }
}
