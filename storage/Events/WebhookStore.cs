using Npgsql;

namespace Tributary.Storage.Events;

/// <summary>A webhook subscription.</summary>
public sealed record WebhookRecord(Guid WebhookId, string Url, IReadOnlyList<string> Types, IReadOnlyList<string> Jobs, DateTimeOffset CreatedAt, long CursorSequence, bool Active);

/// <summary>One event's delivery to one webhook.</summary>
public sealed record DeliveryRecord(Guid WebhookId, long Sequence, string Status, int Attempts, DateTimeOffset NextAttemptAt, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt);

/// <summary>A delivery claimed for sending: where to, with what secret, which event.</summary>
public sealed record DueDelivery(Guid WebhookId, long Sequence, string Url, string Secret, int Attempts, string EventJson);

/// <summary>
/// Webhook subscriptions and their delivery log. Deliveries are claimed with a lease (not a held lock),
/// so several gateways share the work and a gateway that dies mid-send only delays a delivery.
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource)
{
    /// <summary>How long a claimed delivery is reserved for the claimer.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Subscribes <paramref name="url"/>; it receives events appended from now on.</summary>
    public async Task<WebhookRecord> CreateAsync(string url, string secret, IReadOnlyList<string> types, IReadOnlyList<string> jobs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO webhooks (webhook_id, url, secret, types, jobs, cursor_sequence)
            VALUES (@id, @url, @secret, @types, @jobs, (SELECT coalesce(max(sequence), 0) FROM event_outbox))
            RETURNING webhook_id, url, types, jobs, created_at, cursor_sequence, active
            """);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("types", types.ToArray());
        command.Parameters.AddWithValue("jobs", jobs.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadWebhook(reader);
    }

    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT webhook_id, url, types, jobs, created_at, cursor_sequence, active FROM webhooks WHERE active ORDER BY created_at, webhook_id");
        var rows = new List<WebhookRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadWebhook(reader));
        }

        return rows;
    }

    /// <summary>Stops deliveries to a webhook; its log stays. Returns false when there is no such active webhook.</summary>
    public async Task<bool> DeactivateAsync(Guid webhookId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE webhooks SET active = false WHERE webhook_id = @id AND active");
        command.Parameters.AddWithValue("id", webhookId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(Guid webhookId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT webhook_id, sequence, status, attempts, next_attempt_at, last_status, last_error, delivered_at
            FROM webhook_deliveries WHERE webhook_id = @id ORDER BY sequence DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("id", webhookId);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<DeliveryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeliveryRecord(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return rows;
    }

    /// <summary>
    /// Creates a pending delivery for every new event a webhook subscribes to and moves its cursor, in one
    /// statement per webhook. Returns how many deliveries were created.
    /// </summary>
    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH hooks AS (
                SELECT webhook_id, types, jobs, cursor_sequence FROM webhooks WHERE active FOR UPDATE SKIP LOCKED
            ), fresh AS (
                SELECT h.webhook_id, e.sequence
                FROM hooks h JOIN event_outbox e ON e.sequence > h.cursor_sequence
                WHERE (cardinality(h.types) = 0 OR e.type = ANY(h.types))
                  AND (cardinality(h.jobs) = 0 OR e.job = ANY(h.jobs))
            ), inserted AS (
                INSERT INTO webhook_deliveries (webhook_id, sequence, status)
                SELECT webhook_id, sequence, 'pending' FROM fresh
                ON CONFLICT DO NOTHING
                RETURNING 1
            ), moved AS (
                UPDATE webhooks w SET cursor_sequence = (SELECT coalesce(max(sequence), w.cursor_sequence) FROM event_outbox)
                FROM hooks h WHERE w.webhook_id = h.webhook_id
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM inserted)::int + 0 * (SELECT count(*) FROM moved)::int
            """);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Claims up to <paramref name="limit"/> due deliveries for <see cref="Lease"/>, oldest event first.</summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT d.webhook_id, d.sequence FROM webhook_deliveries d
                JOIN webhooks w ON w.webhook_id = d.webhook_id AND w.active
                WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                ORDER BY d.sequence
                LIMIT @limit
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET next_attempt_at = now() + @lease
            FROM due, webhooks w, event_outbox e
            WHERE d.webhook_id = due.webhook_id AND d.sequence = due.sequence
              AND w.webhook_id = d.webhook_id AND e.sequence = d.sequence
            RETURNING d.webhook_id, d.sequence, w.url, w.secret, d.attempts, e.event::text
            """);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", Lease);
        var rows = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DueDelivery(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5)));
        }

        return rows.OrderBy(r => r.Sequence).ToList();
    }

    /// <summary>Records an attempt: delivered, retry at <paramref name="retryAt"/>, or failed for good when it is null.</summary>
    public async Task RecordAttemptAsync(Guid webhookId, long sequence, bool delivered, int? httpStatus, string? error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_deliveries SET
                attempts = attempts + 1,
                status = CASE WHEN @delivered THEN 'delivered' WHEN @retry_at IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = coalesce(@retry_at, next_attempt_at),
                last_status = @status,
                last_error = @error,
                delivered_at = CASE WHEN @delivered THEN now() ELSE NULL END
            WHERE webhook_id = @id AND sequence = @sequence
            """);
        command.Parameters.AddWithValue("delivered", delivered);
        command.Parameters.Add(new NpgsqlParameter("retry_at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)retryAt?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)httpStatus ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("id", webhookId);
        command.Parameters.AddWithValue("sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static WebhookRecord ReadWebhook(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetFieldValue<string[]>(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5), r.GetBoolean(6));
}
