using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.Vestr;

/// <summary>
/// Vestr fees (migration <c>0040_vestr.sql</c>): fee records, the syncs that fetch them, and what is derived from the
/// records: daily and monthly summaries per product, type and currency, lifetime totals per product and currency,
/// and the latest fees of each product.
/// </summary>
/// <remarks>
/// <para>
/// A sync upserts records (<see cref="UpsertAsync"/>), which returns the (product, day) pairs it touched, then
/// refreshes just those (<see cref="RefreshAggregatesAsync"/>, <see cref="RefreshSnapshotsAsync"/>). Every derived
/// row is a pure function of the records, so a refresh that runs twice, or after a crash that lost the touched pairs,
/// is repaired by running it again or by a full rebuild (<see cref="RebuildAllAggregatesAsync"/>,
/// <see cref="RebuildAllSnapshotsAsync"/>).
/// </para>
/// <para>
/// Sums are numeric in PostgreSQL, never floating point, and grouped by currency: no row adds two currencies.
/// Writers of derived rows hold a transaction-level advisory lock (<see cref="AggregatesLockKey"/>,
/// <see cref="SnapshotsLockKey"/>), so two refreshes of the same rows never interleave their delete and insert.
/// </para>
/// </remarks>
public sealed class VestrFeeStore
{
    /// <summary>The transaction-level advisory lock (<c>pg_advisory_xact_lock(bigint)</c>) writers of the summaries and totals hold: "VstrAggr".</summary>
    public const long AggregatesLockKey = 0x5673_7472_4167_6772;

    /// <summary>The transaction-level advisory lock writers of <c>fee_latest_snapshot</c> hold: "VstrSnap".</summary>
    public const long SnapshotsLockKey = 0x5673_7472_536E_6170;

    private const string RecordColumns =
        "id, booking_date, amount, currency, fee_type, product_isin, product_name, outstanding_quantity, sync_id, created_at, updated_at";

    private const string SyncColumns =
        "sync_id, started_at, finished_at, from_date, to_date, force_full, records, inserted, updated, unchanged, outcome, error";

    private const string SnapshotColumns =
        "product_isin, product_name, management_fee_date, management_fee_amount, management_fee_currency, " +
        "performance_fee_date, performance_fee_amount, performance_fee_currency, custody_fee_date, custody_fee_amount, custody_fee_currency, " +
        "latest_fee_date, latest_fee_type, latest_fee_amount, latest_fee_currency, outstanding_quantity, outstanding_quantity_date, updated_at";

    private const string TotalColumns =
        "product_isin, currency, product_name, total_amount, management_total, performance_total, custody_total, record_count, " +
        "first_booking_date, last_booking_date";

    private static readonly string[] FinalOutcomes = [FeeSyncStatus.Succeeded, FeeSyncStatus.Failed];

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a store over the database <paramref name="dataSource"/> connects to.</summary>
    public VestrFeeStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    // ---- records ----

    /// <summary>
    /// Stores fee records of a sync and adds what it counted to the sync's row (<c>fee_sync_status</c>), in one
    /// statement and transaction.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Rows with the same id collapse to the last of them. An id not stored before is inserted; a stored row with any
    /// different value is updated (and <c>updated_at</c>, <c>sync_id</c> move); a stored row whose values are all equal
    /// is left as it is and counted unchanged. Counts come from the rows as they were before the statement.
    /// </para>
    /// <para>
    /// The counts are added inside the upsert's transaction, so a sync that retries a batch after a crash finds both
    /// the rows and their counts committed or neither (and a retried batch counts as unchanged the second time).
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The sync was never started (<see cref="StartSyncAsync"/>); nothing was stored.</exception>
    public async Task<FeeUpsert> UpsertAsync(Guid syncId, IReadOnlyList<FeeRecordRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            ArgumentException.ThrowIfNullOrEmpty(row.Id, nameof(rows));
            ArgumentException.ThrowIfNullOrEmpty(row.ProductIsin, nameof(rows));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var upsert = new NpgsqlCommand(UpsertSql, connection, transaction);
        upsert.Parameters.AddWithValue("sync", syncId);
        upsert.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        upsert.Parameters.AddWithValue("days", rows.Select(r => r.BookingDate).ToArray());
        upsert.Parameters.AddWithValue("amounts", rows.Select(r => r.Amount).ToArray());
        upsert.Parameters.AddWithValue("currencies", rows.Select(r => r.Currency).ToArray());
        upsert.Parameters.AddWithValue("types", rows.Select(r => r.FeeType).ToArray());
        upsert.Parameters.AddWithValue("isins", rows.Select(r => r.ProductIsin).ToArray());
        upsert.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ProductName).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter("quantities", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = rows.Select(r => r.OutstandingQuantity).ToArray() });

        int inserted = 0, updated = 0, unchanged = 0;
        var syncFound = false;
        var touched = new List<TouchedDay>();
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            // The first row carries the counts; the rest are the touched pairs.
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(0))
                {
                    (inserted, updated, unchanged, syncFound) = (reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6) > 0);
                }
                else
                {
                    touched.Add(new TouchedDay(reader.GetString(1), reader.GetFieldValue<DateOnly>(2)));
                }
            }
        }

        if (!syncFound)
        {
            throw new InvalidOperationException(
                $"Fee sync {syncId} has not been started, so its records were not stored: call StartSyncAsync for the sync before upserting its records.");
        }

        await transaction.CommitAsync(cancellationToken);
        return new FeeUpsert(inserted, updated, unchanged, touched);
    }

    /// <remarks>
    /// All CTEs of one statement read one snapshot, so <c>prior</c> sees the rows as they were before the upsert and
    /// gives the old (product, day) of a row that moved.
    /// </remarks>
    private const string UpsertSql =
        """
        WITH incoming AS (
            SELECT DISTINCT ON (u.id) u.*
            FROM unnest(@ids::text[], @days::date[], @amounts::numeric[], @currencies::text[], @types::text[], @isins::text[],
                        @names::text[], @quantities::numeric[])
                 WITH ORDINALITY AS u(id, booking_date, amount, currency, fee_type, product_isin, product_name, outstanding_quantity, ordinal)
            ORDER BY u.id, u.ordinal DESC
        ),
        prior AS (
            SELECT r.id, r.product_isin, r.booking_date
            FROM vestr_fee_records r
            WHERE r.id IN (SELECT id FROM incoming)
        ),
        upserted AS (
            INSERT INTO vestr_fee_records AS r (id, booking_date, amount, currency, fee_type, product_isin, product_name, outstanding_quantity,
                sync_id, created_at, updated_at)
            SELECT i.id, i.booking_date, i.amount, i.currency, i.fee_type, i.product_isin, i.product_name, i.outstanding_quantity, @sync, now(), now()
            FROM incoming i
            ORDER BY i.id
            ON CONFLICT (id) DO UPDATE SET
                booking_date = excluded.booking_date,
                amount = excluded.amount,
                currency = excluded.currency,
                fee_type = excluded.fee_type,
                product_isin = excluded.product_isin,
                product_name = excluded.product_name,
                outstanding_quantity = excluded.outstanding_quantity,
                sync_id = excluded.sync_id,
                updated_at = now()
            WHERE (r.booking_date, r.amount, r.currency, r.fee_type, r.product_isin, r.product_name, r.outstanding_quantity)
                  IS DISTINCT FROM
                  (excluded.booking_date, excluded.amount, excluded.currency, excluded.fee_type, excluded.product_isin, excluded.product_name,
                   excluded.outstanding_quantity)
            RETURNING r.id, r.product_isin, r.booking_date
        ),
        counts AS (
            SELECT
                (SELECT count(*) FROM upserted u WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.id = u.id))::integer AS inserted,
                (SELECT count(*) FROM upserted u WHERE EXISTS (SELECT 1 FROM prior p WHERE p.id = u.id))::integer AS updated,
                (SELECT count(*) FROM incoming)::integer AS records
        ),
        sync AS (
            UPDATE fee_sync_status s
            SET records = s.records + c.records, inserted = s.inserted + c.inserted, updated = s.updated + c.updated,
                unchanged = s.unchanged + (c.records - c.inserted - c.updated)
            FROM counts c
            WHERE s.sync_id = @sync
            RETURNING 1
        )
        SELECT true, NULL::text, NULL::date, c.inserted, c.updated, c.records - c.inserted - c.updated, (SELECT count(*) FROM sync)::integer
        FROM counts c
        UNION ALL
        SELECT DISTINCT false, t.product_isin, t.booking_date, 0, 0, 0, 0
        FROM (SELECT u.product_isin, u.booking_date FROM upserted u
              UNION
              SELECT p.product_isin, p.booking_date FROM prior p JOIN upserted u ON u.id = p.id) t
        """;

    /// <summary>A page of fee records in (booking date, id) order, filtered by whichever of the query's filters are set.</summary>
    /// <exception cref="ArgumentException"><see cref="FeeQuery.After"/> is not a cursor this store made.</exception>
    public async Task<FeePage> ListFeesAsync(FeeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = query.After is null ? ((DateOnly Day, string Id)?)null : ParseCursor(query.After);
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {RecordColumns}
            FROM vestr_fee_records
            WHERE (@isin::text IS NULL OR product_isin = @isin)
              AND (@from::date IS NULL OR booking_date >= @from)
              AND (@to::date IS NULL OR booking_date <= @to)
              AND (@type::text IS NULL OR fee_type = @type)
              AND (@after_day::date IS NULL OR (booking_date, id) > (@after_day, @after_id))
            ORDER BY booking_date, id
            LIMIT @limit
            """);
        command.Parameters.Add(Text("isin", query.Isin));
        command.Parameters.Add(Date("from", query.From));
        command.Parameters.Add(Date("to", query.To));
        command.Parameters.Add(Text("type", query.FeeType));
        command.Parameters.Add(Date("after_day", after?.Day));
        command.Parameters.Add(Text("after_id", after?.Id));
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        var rows = await ReadAllAsync(command, ReadRecord, cancellationToken);
        if (rows.Count <= query.Limit)
        {
            return new FeePage(rows, null);
        }

        var items = rows.Take(query.Limit).ToList();
        var last = items[^1];
        return new FeePage(items, FormatCursor(last.BookingDate, last.Id));
    }

    // A cursor is the last record's key, "yyyy-MM-dd:id": readable, and the date's fixed width makes any id safe.
    private static string FormatCursor(DateOnly day, string id) => $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{id}";

    private static (DateOnly Day, string Id) ParseCursor(string cursor)
    {
        if (cursor.Length > 11 && cursor[10] == ':'
            && DateOnly.TryParseExact(cursor.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (day, cursor[11..]);
        }

        throw new ArgumentException($"'{cursor}' is not a fee page cursor: pass the NextCursor of the previous page, or none for the first page.", nameof(cursor));
    }

    // ---- summaries and totals ----

    /// <summary>
    /// Recomputes the daily summaries of exactly the <paramref name="touched"/> (product, day) pairs, the monthly
    /// summaries of their (product, month) pairs and the totals of their products, set-based, in one transaction.
    /// </summary>
    /// <remarks>
    /// A pair with no records left loses its rows. Nothing outside the touched pairs, their months and their products
    /// is written. Product totals are summed from the product's monthly rows, so they assume the months not touched
    /// are up to date (which every refresh and rebuild leaves them). Running it twice gives the same rows.
    /// </remarks>
    public async Task RefreshAggregatesAsync(IReadOnlyCollection<TouchedDay> touched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touched);
        if (touched.Count == 0)
        {
            return;
        }

        var days = touched.Distinct().ToArray();
        var months = days.Select(d => (d.ProductIsin, Month: new DateOnly(d.Day.Year, d.Day.Month, 1))).Distinct().ToArray();
        var isins = days.Select(d => d.ProductIsin).Distinct(StringComparer.Ordinal).ToArray();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AggregatesLockKey})"),
                new NpgsqlBatchCommand(
                    """
                    DELETE FROM vestr_fee_daily_summaries d
                    USING unnest(@day_isins::text[], @days::date[]) AS p(product_isin, day)
                    WHERE d.product_isin = p.product_isin AND d.day = p.day
                    """),
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO vestr_fee_daily_summaries (day, product_isin, fee_type, currency, total_amount, record_count, updated_at)
                    SELECT r.booking_date, r.product_isin, r.fee_type, r.currency, sum(r.amount), count(*), now()
                    FROM unnest(@day_isins::text[], @days::date[]) AS p(product_isin, day)
                    JOIN vestr_fee_records r ON r.product_isin = p.product_isin AND r.booking_date = p.day
                    GROUP BY r.booking_date, r.product_isin, r.fee_type, r.currency
                    """),
                new NpgsqlBatchCommand(
                    """
                    DELETE FROM vestr_fee_monthly_summaries m
                    USING unnest(@month_isins::text[], @months::date[]) AS p(product_isin, month)
                    WHERE m.product_isin = p.product_isin AND m.month = p.month
                    """),
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO vestr_fee_monthly_summaries (month, product_isin, fee_type, currency, total_amount, record_count, updated_at)
                    SELECT p.month, r.product_isin, r.fee_type, r.currency, sum(r.amount), count(*), now()
                    FROM unnest(@month_isins::text[], @months::date[]) AS p(product_isin, month)
                    JOIN vestr_fee_records r ON r.product_isin = p.product_isin
                        AND r.booking_date >= p.month AND r.booking_date < (p.month + interval '1 month')::date
                    GROUP BY p.month, r.product_isin, r.fee_type, r.currency
                    """),
                new NpgsqlBatchCommand("DELETE FROM vestr_fee_product_totals WHERE product_isin = ANY(@isins)"),
                new NpgsqlBatchCommand(InsertTotalsSql("WHERE m.product_isin = ANY(@isins)")),
            },
        };
        var parameters = new (string Name, object Value)[]
        {
            ("day_isins", days.Select(d => d.ProductIsin).ToArray()),
            ("days", days.Select(d => d.Day).ToArray()),
            ("month_isins", months.Select(m => m.ProductIsin).ToArray()),
            ("months", months.Select(m => m.Month).ToArray()),
            ("isins", isins),
        };
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            foreach (var (name, value) in parameters.Where(p => command.CommandText.Contains($"@{p.Name}:", StringComparison.Ordinal)
                                                               || command.CommandText.Contains($"@{p.Name})", StringComparison.Ordinal)))
            {
                command.Parameters.AddWithValue(name, value);
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Rebuilds every daily and monthly summary and every product total from <c>vestr_fee_records</c>, in one transaction.</summary>
    /// <remarks>
    /// The three tables are truncated and refilled: readers of them wait for the rebuild (TRUNCATE takes an
    /// exclusive lock), and never see them half-built. The transaction raises <c>work_mem</c> for itself (256 MB) so
    /// that its sorts and hashes stay in memory. Monthly rows are summed from the daily ones, totals from the
    /// monthly ones: the same numbers as from the records, with numeric sums, from far fewer rows.
    /// </remarks>
    public async Task RebuildAllAggregatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AggregatesLockKey})"),
                new NpgsqlBatchCommand("TRUNCATE vestr_fee_daily_summaries, vestr_fee_monthly_summaries, vestr_fee_product_totals"),
                // Daily groups are about as many as records, far more than the planner guesses: a hash of them would spill
                // to disk. Streamed from the covering index (vestr_fee_records_day_group) in key order instead, and
                // inserted in key order, so every primary-key insert appends to the index's right edge.
                new NpgsqlBatchCommand("SET LOCAL work_mem = '256MB'"),
                new NpgsqlBatchCommand("SET LOCAL enable_hashagg = off"),
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO vestr_fee_daily_summaries (day, product_isin, fee_type, currency, total_amount, record_count, updated_at)
                    SELECT booking_date, product_isin, fee_type, currency, sum(amount), count(*), now()
                    FROM vestr_fee_records
                    GROUP BY booking_date, product_isin, fee_type, currency
                    ORDER BY booking_date, product_isin, fee_type, currency
                    """),
                new NpgsqlBatchCommand("SET LOCAL enable_hashagg = on"),
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO vestr_fee_monthly_summaries (month, product_isin, fee_type, currency, total_amount, record_count, updated_at)
                    SELECT date_trunc('month', day)::date, product_isin, fee_type, currency, sum(total_amount), sum(record_count), now()
                    FROM vestr_fee_daily_summaries
                    GROUP BY 1, product_isin, fee_type, currency
                    ORDER BY 1, product_isin, fee_type, currency
                    """),
                new NpgsqlBatchCommand(InsertTotalsSql("")),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Product totals from the monthly rows matching <paramref name="where"/>; first and last dates and the name are index probes into the records.</summary>
    private static string InsertTotalsSql(string where) =>
        $"""
        INSERT INTO vestr_fee_product_totals ({TotalColumns}, updated_at)
        SELECT t.product_isin, t.currency,
            (SELECT r.product_name FROM vestr_fee_records r
             WHERE r.product_isin = t.product_isin AND r.product_name IS NOT NULL ORDER BY r.booking_date DESC, r.id DESC LIMIT 1),
            t.total_amount, t.management_total, t.performance_total, t.custody_total, t.record_count,
            (SELECT min(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = t.product_isin AND r.currency = t.currency),
            (SELECT max(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = t.product_isin AND r.currency = t.currency),
            now()
        FROM (
            SELECT m.product_isin, m.currency, sum(m.total_amount) AS total_amount,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'MANAGEMENT'), 0) AS management_total,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'PERFORMANCE'), 0) AS performance_total,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'CUSTODY'), 0) AS custody_total,
                sum(m.record_count)::integer AS record_count
            FROM vestr_fee_monthly_summaries m
            {where}
            GROUP BY m.product_isin, m.currency
        ) t
        """;

    /// <summary>Monthly summaries (one row per month, product, type and currency) of months from the month of <paramref name="from"/> to <paramref name="to"/>.</summary>
    public Task<IReadOnlyList<FeeSummary>> MonthlySummariesAsync(string? isin, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        SummariesAsync("vestr_fee_monthly_summaries", "month", isin, from is { } f ? new DateOnly(f.Year, f.Month, 1) : null, to, cancellationToken);

    /// <summary>Daily summaries (one row per day, product, type and currency) from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public Task<IReadOnlyList<FeeSummary>> DailySummariesAsync(string? isin, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        SummariesAsync("vestr_fee_daily_summaries", "day", isin, from, to, cancellationToken);

    private async Task<IReadOnlyList<FeeSummary>> SummariesAsync(
        string table, string period, string? isin, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {period}, product_isin, fee_type, currency, total_amount, record_count
            FROM {table}
            WHERE (@isin::text IS NULL OR product_isin = @isin)
              AND (@from::date IS NULL OR {period} >= @from)
              AND (@to::date IS NULL OR {period} <= @to)
            ORDER BY {period}, product_isin, fee_type, currency
            """);
        command.Parameters.Add(Text("isin", isin));
        command.Parameters.Add(Date("from", from));
        command.Parameters.Add(Date("to", to));
        return await ReadAllAsync(command, r => new FeeSummary(
            r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetInt32(5)), cancellationToken);
    }

    /// <summary>Lifetime totals of every product, one row per product and currency, by product then currency.</summary>
    public async Task<IReadOnlyList<ProductTotal>> ProductTotalsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {TotalColumns} FROM vestr_fee_product_totals ORDER BY product_isin, currency");
        return await ReadAllAsync(command, r => new ProductTotal(
            r.GetString(0), r.GetString(1), NullableString(r, 2), r.GetDecimal(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6),
            r.GetInt32(7), r.GetFieldValue<DateOnly>(8), r.GetFieldValue<DateOnly>(9)), cancellationToken);
    }

    // ---- snapshots ----

    /// <summary>Rebuilds the <c>fee_latest_snapshot</c> rows of <paramref name="isins"/>, set-based; a product with no records left loses its row.</summary>
    public async Task RefreshSnapshotsAsync(IReadOnlyCollection<string> isins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isins);
        if (isins.Count == 0)
        {
            return;
        }

        await WriteSnapshotsAsync(
            "DELETE FROM fee_latest_snapshot WHERE product_isin = ANY(@isins)",
            "SELECT DISTINCT i AS product_isin FROM unnest(@isins::text[]) AS i",
            isins.Distinct(StringComparer.Ordinal).ToArray(),
            cancellationToken);
    }

    /// <summary>Rebuilds every <c>fee_latest_snapshot</c> row from <c>vestr_fee_records</c>, in one transaction.</summary>
    public Task RebuildAllSnapshotsAsync(CancellationToken cancellationToken) =>
        WriteSnapshotsAsync(
            "TRUNCATE fee_latest_snapshot",
            // The distinct products by a loose index scan: one probe per product instead of reading every record.
            """
            WITH RECURSIVE products AS (
                SELECT min(product_isin) AS product_isin FROM vestr_fee_records
                UNION ALL
                SELECT (SELECT min(r.product_isin) FROM vestr_fee_records r WHERE r.product_isin > p.product_isin)
                FROM products p WHERE p.product_isin IS NOT NULL
            )
            SELECT product_isin FROM products WHERE product_isin IS NOT NULL
            """,
            null,
            cancellationToken);

    private async Task WriteSnapshotsAsync(string clear, string products, string[]? isins, CancellationToken cancellationToken)
    {
        // Each "latest" is one index probe per product and type (the indexes of 0040_vestr.sql), whatever the history's length.
        var insert =
            $"""
            WITH products AS ({products})
            INSERT INTO fee_latest_snapshot ({SnapshotColumns})
            SELECT p.product_isin, n.product_name, m.booking_date, m.amount, m.currency, f.booking_date, f.amount, f.currency,
                c.booking_date, c.amount, c.currency, a.booking_date, a.fee_type, a.amount, a.currency,
                q.outstanding_quantity, q.booking_date, now()
            FROM products p
            CROSS JOIN LATERAL (SELECT r.booking_date, r.fee_type, r.amount, r.currency FROM vestr_fee_records r
                                WHERE r.product_isin = p.product_isin ORDER BY r.booking_date DESC, r.id DESC LIMIT 1) a
            LEFT JOIN LATERAL ({LatestOfType("MANAGEMENT")}) m ON true
            LEFT JOIN LATERAL ({LatestOfType("PERFORMANCE")}) f ON true
            LEFT JOIN LATERAL ({LatestOfType("CUSTODY")}) c ON true
            LEFT JOIN LATERAL (SELECT r.outstanding_quantity, r.booking_date FROM vestr_fee_records r
                               WHERE r.product_isin = p.product_isin AND r.outstanding_quantity IS NOT NULL
                               ORDER BY r.booking_date DESC, r.id DESC LIMIT 1) q ON true
            LEFT JOIN LATERAL (SELECT r.product_name FROM vestr_fee_records r
                               WHERE r.product_isin = p.product_isin AND r.product_name IS NOT NULL
                               ORDER BY r.booking_date DESC, r.id DESC LIMIT 1) n ON true
            """;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({SnapshotsLockKey})"),
                new NpgsqlBatchCommand(clear),
                new NpgsqlBatchCommand(insert),
            },
        };
        if (isins is not null)
        {
            batch.BatchCommands[1].Parameters.AddWithValue("isins", isins);
            batch.BatchCommands[2].Parameters.AddWithValue("isins", isins);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string LatestOfType(string feeType) =>
        $"""
        SELECT r.booking_date, r.amount, r.currency FROM vestr_fee_records r
        WHERE r.product_isin = p.product_isin AND r.fee_type = '{feeType}' ORDER BY r.booking_date DESC, r.id DESC LIMIT 1
        """;

    /// <summary>The latest fees of a product, or null when it has no snapshot.</summary>
    public async Task<FeeSnapshot?> GetSnapshotAsync(string isin, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SnapshotColumns} FROM fee_latest_snapshot WHERE product_isin = @isin");
        command.Parameters.AddWithValue("isin", isin);
        return await ReadSingleAsync(command, ReadSnapshot, cancellationToken);
    }

    /// <summary>Every product's latest fees, by ISIN.</summary>
    public async Task<IReadOnlyList<FeeSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SnapshotColumns} FROM fee_latest_snapshot ORDER BY product_isin");
        return await ReadAllAsync(command, ReadSnapshot, cancellationToken);
    }

    // ---- syncs ----

    /// <summary>Records a sync as running; starting a sync that exists already changes nothing.</summary>
    public async Task StartSyncAsync(Guid syncId, DateOnly from, DateOnly to, bool forceFull, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO fee_sync_status (sync_id, started_at, from_date, to_date, force_full, outcome)
            VALUES (@sync, @at, @from, @to, @force_full, 'running')
            ON CONFLICT (sync_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("sync", syncId);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("force_full", forceFull);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records how a sync ended: <see cref="FeeSyncStatus.Succeeded"/>, or <see cref="FeeSyncStatus.Failed"/> with the error.</summary>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is not a final outcome.</exception>
    /// <exception cref="InvalidOperationException">The sync was never started.</exception>
    public async Task FinishSyncAsync(Guid syncId, string outcome, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!FinalOutcomes.Contains(outcome, StringComparer.Ordinal))
        {
            throw new ArgumentException($"A sync finishes as {string.Join(" or ", FinalOutcomes)}, was '{outcome}'.", nameof(outcome));
        }

        await using var command = _dataSource.CreateCommand(
            "UPDATE fee_sync_status SET outcome = @outcome, error = @error, finished_at = @at WHERE sync_id = @sync");
        command.Parameters.AddWithValue("sync", syncId);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.Add(Text("error", error));
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InvalidOperationException($"Fee sync {syncId} was never started, so it can't be finished: call StartSyncAsync first.");
        }
    }

    /// <summary>A sync, or null when there is none with that id.</summary>
    public async Task<FeeSyncStatus?> GetSyncAsync(Guid syncId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SyncColumns} FROM fee_sync_status WHERE sync_id = @sync");
        command.Parameters.AddWithValue("sync", syncId);
        return await ReadSingleAsync(command, ReadSync, cancellationToken);
    }

    /// <summary>The latest <paramref name="limit"/> syncs, newest first.</summary>
    public async Task<IReadOnlyList<FeeSyncStatus>> ListSyncsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand($"SELECT {SyncColumns} FROM fee_sync_status ORDER BY started_at DESC, sync_id LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ReadSync, cancellationToken);
    }

    /// <summary>The sync that succeeded last (by finish time), or null when none has.</summary>
    public async Task<FeeSyncStatus?> LastSucceededSyncAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {SyncColumns} FROM fee_sync_status WHERE outcome = 'succeeded' ORDER BY finished_at DESC, sync_id LIMIT 1");
        return await ReadSingleAsync(command, ReadSync, cancellationToken);
    }

    // ---- reading ----

    private static FeeRecord ReadRecord(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetDecimal(2), r.GetString(3), r.GetString(4), r.GetString(5), NullableString(r, 6),
        r.IsDBNull(7) ? null : r.GetDecimal(7), r.IsDBNull(8) ? null : r.GetGuid(8), r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));

    private static FeeSyncStatus ReadSync(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2),
        r.GetFieldValue<DateOnly>(3), r.GetFieldValue<DateOnly>(4), r.GetBoolean(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9),
        r.GetString(10), NullableString(r, 11));

    private static FeeSnapshot ReadSnapshot(NpgsqlDataReader r) => new(
        r.GetString(0), NullableString(r, 1), ReadFee(r, 2), ReadFee(r, 5), ReadFee(r, 8),
        new LatestFee(r.GetFieldValue<DateOnly>(11), r.GetDecimal(13), r.GetString(14)), r.GetString(12),
        r.IsDBNull(15) ? null : r.GetDecimal(15), r.IsDBNull(16) ? null : r.GetFieldValue<DateOnly>(16), r.GetFieldValue<DateTimeOffset>(17));

    private static LatestFee? ReadFee(NpgsqlDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : new LatestFee(r.GetFieldValue<DateOnly>(ordinal), r.GetDecimal(ordinal + 1), r.GetString(ordinal + 2));

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Date(string name, DateOnly? value) => new(name, NpgsqlDbType.Date) { Value = (object?)value ?? DBNull.Value };
}
