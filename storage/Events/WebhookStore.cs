using Npgsql;
using NpgsqlTypes;
using Tributary.Storage.Secrets;

namespace Tributary.Storage.Events;

/// <summary>A webhook subscription.</summary>
/// <param name="Owner">The user whose API key created it; only they (and admin keys) see it.</param>
public sealed record WebhookRecord(Guid WebhookId, string Url, IReadOnlyList<string> Types, IReadOnlyList<string> Jobs, DateTimeOffset CreatedAt, long CursorSequence, bool Active, string Owner);

/// <summary>One event's delivery to one webhook.</summary>
public sealed record DeliveryRecord(Guid WebhookId, long Sequence, string Status, int Attempts, DateTimeOffset NextAttemptAt, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt);

/// <summary>A delivery claimed for sending: where to, which event, and the secret as stored (see <see cref="WebhookStore.RevealSecretAsync"/>).</summary>
public sealed record DueDelivery(Guid WebhookId, long Sequence, string Url, string StoredSecret, bool SecretProtected, int Attempts, string EventJson)
{
    // Printed (in a log line or an assertion message) without the secret, in either form.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"WebhookId = {WebhookId}, Sequence = {Sequence}, Url = {Url}, SecretProtected = {SecretProtected}, Attempts = {Attempts}");
        return true;
    }
}

/// <summary>
/// Webhook subscriptions and their delivery log. Deliveries are claimed with a lease (not a held lock),
/// so several gateways share the work and a gateway that dies mid-send only delays a delivery.
/// </summary>
/// <remarks>
/// <para>
/// Secrets are stored only in the form <see cref="SecretProtector"/> gives (<c>secret_protected</c>); rows from before
/// that are protected by <see cref="ProtectPlainSecretsAsync"/>, which the gateway runs at start.
/// </para>
/// <para>
/// Every read and change that a caller asks for takes an <c>owner</c>: the user whose rows it may see, or null for
/// all of them (an admin key). Another user's webhook is then indistinguishable from one that does not exist.
/// </para>
/// </remarks>
public sealed class WebhookStore(NpgsqlDataSource dataSource, SecretProtector secrets)
{
    /// <summary>How long a claimed delivery is reserved for the claimer.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>The Data Protection purpose of webhook secrets: a value protected for another purpose does not open as one.</summary>
    public const string SecretPurpose = "Tributary.Webhooks.Secret.v1";

    private const string Columns = "webhook_id, url, types, jobs, created_at, cursor_sequence, active, owner";

    /// <summary>Subscribes <paramref name="url"/> for <paramref name="owner"/>; it receives events appended from now on.</summary>
    /// <exception cref="SecretProtectionException">The secret could not be protected (the key ring is unreadable).</exception>
    public async Task<WebhookRecord> CreateAsync(string owner, string url, string secret, IReadOnlyList<string> types, IReadOnlyList<string> jobs, CancellationToken cancellationToken)
    {
        var protectedSecret = await secrets.ProtectAsync(SecretPurpose, secret, cancellationToken);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO webhooks (webhook_id, url, secret, secret_protected, types, jobs, owner, cursor_sequence)
            VALUES (@id, @url, @secret, true, @types, @jobs, @owner, (SELECT coalesce(max(sequence), 0) FROM event_outbox))
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("secret", protectedSecret);
        command.Parameters.AddWithValue("types", types.ToArray());
        command.Parameters.AddWithValue("jobs", jobs.ToArray());
        command.Parameters.AddWithValue("owner", owner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadWebhook(reader);
    }

    /// <summary>Active subscriptions of <paramref name="owner"/>, or of everyone when it is null.</summary>
    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM webhooks WHERE active AND (@owner::text IS NULL OR owner = @owner) ORDER BY created_at, webhook_id");
        command.Parameters.Add(OwnerParameter(owner));
        var rows = new List<WebhookRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadWebhook(reader));
        }

        return rows;
    }

    /// <summary>One subscription, active or not, when <paramref name="owner"/> (null: anyone) may see it; else null.</summary>
    public async Task<WebhookRecord?> GetAsync(Guid webhookId, string? owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM webhooks WHERE webhook_id = @id AND (@owner::text IS NULL OR owner = @owner)");
        command.Parameters.AddWithValue("id", webhookId);
        command.Parameters.Add(OwnerParameter(owner));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWebhook(reader) : null;
    }

    /// <summary>
    /// Stops deliveries to a webhook; its log stays. Returns false when there is no such active webhook that
    /// <paramref name="owner"/> (null: anyone) may see.
    /// </summary>
    public async Task<bool> DeactivateAsync(Guid webhookId, string? owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE webhooks SET active = false WHERE webhook_id = @id AND active AND (@owner::text IS NULL OR owner = @owner)");
        command.Parameters.AddWithValue("id", webhookId);
        command.Parameters.Add(OwnerParameter(owner));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A webhook's delivery log, newest first; null when <paramref name="owner"/> (null: anyone) may not see the webhook.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>?> DeliveriesAsync(Guid webhookId, string? owner, int limit, CancellationToken cancellationToken)
    {
        if (await GetAsync(webhookId, owner, cancellationToken) is null)
        {
            return null;
        }

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
            RETURNING d.webhook_id, d.sequence, w.url, w.secret, w.secret_protected, d.attempts, e.event::text
            """);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", Lease);
        var rows = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DueDelivery(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.GetInt32(5), reader.GetString(6)));
        }

        return rows.OrderBy(r => r.Sequence).ToList();
    }

    /// <summary>The secret a delivery is signed with, unprotected (a row not yet protected holds it as it is).</summary>
    /// <exception cref="SecretProtectionException">The stored secret cannot be decrypted; the message says why.</exception>
    public async Task<string> RevealSecretAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.SecretProtected
            ? await secrets.UnprotectAsync(SecretPurpose, delivery.StoredSecret, cancellationToken)
            : delivery.StoredSecret;
    }

    /// <summary>
    /// Protects every secret still stored in plain text (rows from before secrets were protected, or written by an
    /// older gateway during an upgrade). Returns how many rows this call protected.
    /// </summary>
    /// <remarks>
    /// Idempotent and safe with several gateways at once: a row is only changed while it is still plain and still
    /// holds the secret that was read, so a row another gateway protected in between is left as it is.
    /// </remarks>
    public async Task<int> ProtectPlainSecretsAsync(CancellationToken cancellationToken)
    {
        var plain = new List<(Guid Id, string Secret)>();
        await using (var select = dataSource.CreateCommand("SELECT webhook_id, secret FROM webhooks WHERE NOT secret_protected"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                plain.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        var protectedCount = 0;
        foreach (var (id, secret) in plain)
        {
            var protectedSecret = await secrets.ProtectAsync(SecretPurpose, secret, cancellationToken);
            await using var update = dataSource.CreateCommand(
                "UPDATE webhooks SET secret = @protected, secret_protected = true WHERE webhook_id = @id AND NOT secret_protected AND secret = @plain");
            update.Parameters.AddWithValue("protected", protectedSecret);
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("plain", secret);
            protectedCount += await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return protectedCount;
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
        command.Parameters.Add(new NpgsqlParameter("retry_at", NpgsqlDbType.TimestampTz) { Value = (object?)retryAt?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = (object?)httpStatus ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("id", webhookId);
        command.Parameters.AddWithValue("sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter OwnerParameter(string? owner) =>
        new("owner", NpgsqlDbType.Text) { Value = (object?)owner ?? DBNull.Value };

    private static WebhookRecord ReadWebhook(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetFieldValue<string[]>(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5), r.GetBoolean(6), r.GetString(7));
}
