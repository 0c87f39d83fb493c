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

    /// <summary>Appends <paramref name="outboxEvent"/> in <paramref name="transaction"/> and returns its sequence.</summary>
    public static async Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        var json = Serialize(outboxEvent);

        // Readers resume after the highest sequence they saw, so sequences must become visible in order. A bigserial
        // is drawn at insert, not at commit: two transactions could commit 11 before 10 and a reader at 11 would never
        // see 10. Holding this lock from the insert to the commit makes the draw order the commit order.
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            serialize.Parameters.AddWithValue("key", AppendLockKey);
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO event_outbox (event_id, type, source, subject, job, time, event)
            VALUES (@id, @type, @source, @subject, @job, @time, @event)
            RETURNING sequence
            """, connection, transaction);
        command.Parameters.AddWithValue("id", outboxEvent.Id);
        command.Parameters.AddWithValue("type", outboxEvent.Type);
        command.Parameters.AddWithValue("source", outboxEvent.Source);
        command.Parameters.AddWithValue("subject", (object?)outboxEvent.Subject ?? DBNull.Value);
        command.Parameters.AddWithValue("job", (object?)outboxEvent.Job ?? DBNull.Value);
        command.Parameters.AddWithValue("time", outboxEvent.Time.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter("event", NpgsqlDbType.Jsonb) { Value = json });
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;

        // Wakes stream readers at commit; they still read the table, so a missed notification costs only latency.
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', @sequence::text)", connection, transaction);
        notify.Parameters.AddWithValue("sequence", sequence);
        await notify.ExecuteNonQueryAsync(cancellationToken);
        return sequence;
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
