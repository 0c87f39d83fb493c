using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.TrueLayer;

/// <summary>
/// Enrichment jobs and the categories they give transactions. A job names its transactions either by the import that
/// first stored them or by accounts and a date range; writing a category is idempotent, so a re-run batch rewrites
/// the same values.
/// </summary>
public sealed class EnrichmentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "job_id, import_job_id, owner, account_ids, from_date, to_date, status, categorised, error, created_at, started_at, finished_at";

    /// <summary>Creates the job as <c>queued</c>, or leaves an existing one with that id as it is (a retried request).</summary>
    public async Task CreateAsync(Guid jobId, Guid? importJobId, string owner, IReadOnlyList<string> accountIds, DateOnly? from, DateOnly? to, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO truelayer_enrichment_jobs (job_id, import_job_id, owner, account_ids, from_date, to_date, status, created_at)
            VALUES (@id, @import, @owner, @accounts, @from, @to, 'queued', @at)
            ON CONFLICT (job_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.Add(new NpgsqlParameter("import", NpgsqlDbType.Uuid) { Value = (object?)importJobId ?? DBNull.Value });
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("accounts", accountIds.ToArray());
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = (object?)to ?? DBNull.Value });
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<EnrichmentJob?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM truelayer_enrichment_jobs WHERE job_id = @id");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary><c>queued</c> to <c>running</c> (no change otherwise).</summary>
    public async Task MarkRunningAsync(Guid jobId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE truelayer_enrichment_jobs SET status = 'running', started_at = coalesce(started_at, @at) WHERE job_id = @id AND status = 'queued'");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The final status and count (idempotent: a job that ended keeps its first end).</summary>
    public async Task FinishAsync(Guid jobId, string status, int categorised, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE truelayer_enrichment_jobs SET status = @status, categorised = @categorised, error = @error, finished_at = @at,
                started_at = coalesce(started_at, @at)
            WHERE job_id = @id AND status IN ('queued', 'running')
            """);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("categorised", categorised);
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The next <paramref name="limit"/> transactions of the account after id <paramref name="afterId"/> that the job covers: those
    /// its import first stored, or (without an import) those booked in the range.
    /// </summary>
    public async Task<IReadOnlyList<UncategorisedTransaction>> ReadAsync(EnrichmentJob job, string accountId, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, description, merchant_name, transaction_category, transaction_classification
            FROM truelayer_transactions
            WHERE account_id = @account AND id > @after
              AND (@import::uuid IS NULL OR import_job_id = @import)
              AND (@from::date IS NULL OR booked_at >= @from::date::timestamptz)
              AND (@to::date IS NULL OR booked_at < (@to::date + 1)::timestamptz)
            ORDER BY id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("after", afterId);
        command.Parameters.Add(new NpgsqlParameter("import", NpgsqlDbType.Uuid) { Value = (object?)job.ImportJobId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = (object?)job.FromDate ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = (object?)job.ToDate ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<UncategorisedTransaction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UncategorisedTransaction(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<string[]>(4)));
        }

        return rows;
    }

    /// <summary>Writes categories in one statement (the same values again on a re-run).</summary>
    public async Task SetCategoriesAsync(IReadOnlyList<TransactionCategory> categories, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            UPDATE truelayer_transactions t
            SET category = c.category, category_source = c.source, enriched_at = @at, updated_at = now()
            FROM unnest(@ids, @categories, @sources) AS c(id, category, source)
            WHERE t.id = c.id
            """);
        command.Parameters.AddWithValue("ids", categories.Select(c => c.Id).ToArray());
        command.Parameters.AddWithValue("categories", categories.Select(c => c.Category).ToArray());
        command.Parameters.AddWithValue("sources", categories.Select(c => c.Source).ToArray());
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static EnrichmentJob Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.IsDBNull(1) ? null : reader.GetGuid(1),
        reader.GetString(2),
        reader.GetFieldValue<string[]>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
        reader.GetString(6),
        reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
}
