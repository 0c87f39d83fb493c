using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using static Tributary.Storage.CommandRows;

namespace Tributary.Storage.Vestr;

/// <summary>
/// Vestr fees (migrations <c>0040_vestr.sql</c>, <c>0041_vestr_aggregates_speed.sql</c>): fee records, the syncs that
/// fetch them, and what is derived from the records: daily and monthly summaries per product, type and currency,
/// lifetime totals per product and currency, and the latest fees of each product.
/// </summary>
/// <remarks>
/// <para>
/// A sync upserts records (<see cref="UpsertAsync"/>), which returns the (product, day) pairs it touched, then
/// refreshes just those (<see cref="RefreshAggregatesAsync"/>,
/// <see cref="RefreshSnapshotsAsync(IReadOnlyCollection{TouchedDay}, CancellationToken)"/>). A refresh recomputes the
/// touched days from the records and carries the change into the months, totals and snapshots, which it assumes agree
/// with the records on every day not touched (what every refresh and rebuild leaves behind). So a refresh that runs
/// twice changes nothing the second time, one that a crash interrupted is rolled back whole, and one whose touched
/// pairs were lost is repaired by refreshing those days later or by a full rebuild
/// (<see cref="RebuildAllAggregatesAsync"/>, <see cref="RebuildAllSnapshotsAsync"/>).
/// </para>
/// <para>
/// Sums are numeric in PostgreSQL, never floating point, and grouped by currency: no row adds two currencies.
/// Writers of derived rows hold a transaction-level advisory lock (<see cref="AggregatesLockKey"/>,
/// <see cref="SnapshotsLockKey"/>), so two refreshes of the same rows never interleave their delete and insert; the full
/// rebuild of the summaries holds the same key as a session lock, taken before its transaction begins.
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
        moved AS (
            -- Executed although nothing reads it (PostgreSQL runs every data-modifying WITH to completion).
            INSERT INTO vestr_fee_moved_days (product_isin, booking_date)
            SELECT DISTINCT p.product_isin, p.booking_date
            FROM prior p JOIN upserted u ON u.id = p.id
            WHERE (p.product_isin, p.booking_date) IS DISTINCT FROM (u.product_isin, u.booking_date)
            ON CONFLICT (product_isin, booking_date) DO NOTHING
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
    /// Brings the daily summaries of exactly the <paramref name="touched"/> (product, day) pairs up to date with the
    /// records, and the monthly summaries of their months and the totals of their products with them, set-based, in one
    /// statement and transaction.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The touched days' daily rows are recomputed from the records; what changed between their old and new rows (the
    /// difference, per day, product, type and currency) is added to the months' rows and to the products' totals. So
    /// the work is proportional to the touched days, not to the products' history, and it assumes what every refresh and
    /// rebuild leaves behind: monthly rows and totals that agree with the daily rows. Then the result is the one a full
    /// rebuild gives, to the digit (amounts are numeric; a type with no records left gets the same 0 as a sum over none).
    /// </para>
    /// <para>
    /// A pair with no records left loses its daily rows, a month or product total left with no records loses its row.
    /// Rows whose values do not change are not written. A total's first and last booking dates and its product name are
    /// decided from the touched days where that is certain, and read from the records (one index probe) where not, e.g.
    /// when the product's last record moved to an earlier day. Running it twice gives the same rows.
    /// </para>
    /// </remarks>
    public async Task RefreshAggregatesAsync(IReadOnlyCollection<TouchedDay> touched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touched);
        if (touched.Count == 0)
        {
            return;
        }

        var days = touched.Distinct().ToArray();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AggregatesLockKey})"),
                new NpgsqlBatchCommand(RefreshAggregatesSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("isins", days.Select(d => d.ProductIsin).ToArray()),
                        new NpgsqlParameter("days", days.Select(d => d.Day).ToArray()),
                        new NpgsqlParameter("distinct_days", days.Select(d => d.Day).Distinct().ToArray()),
                        new NpgsqlParameter("distinct_months", days.Select(d => new DateOnly(d.Day.Year, d.Day.Month, 1)).Distinct().ToArray()),
                    },
                },
                // A day a record left is up to date once refreshed: it is no longer owed a refresh.
                new NpgsqlBatchCommand(
                    "DELETE FROM vestr_fee_moved_days m USING unnest(@isins::text[], @days::date[]) AS t(product_isin, day) " +
                    "WHERE m.product_isin = t.product_isin AND m.booking_date = t.day")
                {
                    Parameters =
                    {
                        new NpgsqlParameter("isins", days.Select(d => d.ProductIsin).ToArray()),
                        new NpgsqlParameter("days", days.Select(d => d.Day).ToArray()),
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The (product, day) pairs records left when an upsert moved them to another product or day, and that no refresh
    /// or rebuild has recomputed since: a sync that crashed between its upsert and its refresh left these behind.
    /// </summary>
    public async Task<IReadOnlyList<TouchedDay>> MovedDaysAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT product_isin, booking_date FROM vestr_fee_moved_days ORDER BY product_isin, booking_date");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<TouchedDay>();
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new TouchedDay(reader.GetString(0), reader.GetFieldValue<DateOnly>(1)));
        }

        return days;
    }

    /// <summary>The touched (product, day) pairs, distinct, as <c>touched</c>; their records as <c>fees</c>.</summary>
    /// <remarks>
    /// <c>booking_date = ANY(@distinct_days)</c> repeats what the join says, so that the planner can also read whole days
    /// by the day index when the pairs are many products on few days (a daily sync: one range scan instead of a probe per
    /// pair), while a few pairs of one product stay index probes.
    /// </remarks>
    private const string TouchedFeesSql =
        """
        touched AS (
            SELECT t.product_isin, t.day FROM unnest(@isins::text[], @days::date[]) AS t(product_isin, day)
        ),
        fees AS MATERIALIZED (
            SELECT r.product_isin, r.booking_date, r.id, r.fee_type, r.amount, r.currency, r.product_name, r.outstanding_quantity
            FROM touched t
            JOIN vestr_fee_records r ON r.product_isin = t.product_isin AND r.booking_date = t.day
            WHERE r.booking_date = ANY(@distinct_days::date[])
        )
        """;

    // Every data-modifying CTE below writes a set of keys no other one in the statement writes (deleted, updated and
    // inserted rows are told apart by the rows read at the statement's start), so their order does not matter.
    private const string RefreshAggregatesSql =
        $"""
        WITH {TouchedFeesSql},
        old_daily AS MATERIALIZED (
            SELECT d.day, d.product_isin, d.fee_type, d.currency, d.total_amount, d.record_count
            FROM touched t
            JOIN vestr_fee_daily_summaries d ON d.day = t.day AND d.product_isin = t.product_isin
            WHERE d.day = ANY(@distinct_days::date[])
        ),
        new_daily AS MATERIALIZED (
            SELECT f.booking_date AS day, f.product_isin, f.fee_type, f.currency, sum(f.amount) AS total_amount, count(*)::integer AS record_count
            FROM fees f
            GROUP BY f.booking_date, f.product_isin, f.fee_type, f.currency
        ),
        -- Each daily row that changes: its new values (NULL when it goes) and the difference to its old ones.
        daily_changes AS MATERIALIZED (
            SELECT coalesce(n.day, o.day) AS day, coalesce(n.product_isin, o.product_isin) AS product_isin,
                coalesce(n.fee_type, o.fee_type) AS fee_type, coalesce(n.currency, o.currency) AS currency,
                n.total_amount, n.record_count, o.day IS NOT NULL AS existed,
                coalesce(n.total_amount, 0) - coalesce(o.total_amount, 0) AS delta_amount,
                coalesce(n.record_count, 0) - coalesce(o.record_count, 0) AS delta_count
            FROM new_daily n
            FULL JOIN old_daily o ON o.day = n.day AND o.product_isin = n.product_isin AND o.fee_type = n.fee_type AND o.currency = n.currency
            WHERE n.day IS NULL OR o.day IS NULL OR n.total_amount <> o.total_amount OR n.record_count <> o.record_count
        ),
        daily_deleted AS (
            DELETE FROM vestr_fee_daily_summaries d
            USING daily_changes c
            WHERE c.record_count IS NULL
              AND d.day = c.day AND d.product_isin = c.product_isin AND d.fee_type = c.fee_type AND d.currency = c.currency
        ),
        daily_updated AS (
            UPDATE vestr_fee_daily_summaries d
            SET total_amount = c.total_amount, record_count = c.record_count, updated_at = now()
            FROM daily_changes c
            WHERE c.existed AND c.record_count IS NOT NULL
              AND d.day = c.day AND d.product_isin = c.product_isin AND d.fee_type = c.fee_type AND d.currency = c.currency
        ),
        daily_inserted AS (
            INSERT INTO vestr_fee_daily_summaries (day, product_isin, fee_type, currency, total_amount, record_count, updated_at)
            SELECT c.day, c.product_isin, c.fee_type, c.currency, c.total_amount, c.record_count, now()
            FROM daily_changes c
            WHERE NOT c.existed
        ),
        month_changes AS MATERIALIZED (
            SELECT d.month, d.product_isin, d.fee_type, d.currency, m.month IS NOT NULL AS existed,
                coalesce(m.total_amount, 0) + d.delta_amount AS total_amount, coalesce(m.record_count, 0) + d.delta_count AS record_count
            FROM (
                SELECT date_trunc('month', c.day::timestamp)::date AS month, c.product_isin, c.fee_type, c.currency,
                    sum(c.delta_amount) AS delta_amount, sum(c.delta_count)::integer AS delta_count
                FROM daily_changes c
                GROUP BY 1, c.product_isin, c.fee_type, c.currency
            ) d
            LEFT JOIN vestr_fee_monthly_summaries m
                ON m.month = d.month AND m.product_isin = d.product_isin AND m.fee_type = d.fee_type AND m.currency = d.currency
                AND m.month = ANY(@distinct_months::date[])
        ),
        month_deleted AS (
            DELETE FROM vestr_fee_monthly_summaries m
            USING month_changes c
            WHERE c.existed AND c.record_count = 0
              AND m.month = c.month AND m.product_isin = c.product_isin AND m.fee_type = c.fee_type AND m.currency = c.currency
        ),
        month_updated AS (
            UPDATE vestr_fee_monthly_summaries m
            SET total_amount = c.total_amount, record_count = c.record_count, updated_at = now()
            FROM month_changes c
            WHERE c.existed AND c.record_count <> 0
              AND m.month = c.month AND m.product_isin = c.product_isin AND m.fee_type = c.fee_type AND m.currency = c.currency
        ),
        month_inserted AS (
            INSERT INTO vestr_fee_monthly_summaries (month, product_isin, fee_type, currency, total_amount, record_count, updated_at)
            SELECT c.month, c.product_isin, c.fee_type, c.currency, c.total_amount, c.record_count, now()
            FROM month_changes c
            WHERE NOT c.existed
        ),
        products AS MATERIALIZED (
            SELECT DISTINCT t.product_isin FROM touched t
        ),
        -- Every total row of the touched products is looked at (a changed name reaches all of them), the ones whose
        -- sums changed with the difference.
        old_totals AS MATERIALIZED (
            SELECT t.* FROM products p JOIN vestr_fee_product_totals t ON t.product_isin = p.product_isin
        ),
        total_changes AS (
            SELECT c.product_isin, c.currency, sum(c.delta_amount) AS total_amount, sum(c.delta_count)::integer AS record_count,
                sum(c.delta_amount) FILTER (WHERE c.fee_type = 'MANAGEMENT') AS management_total,
                sum(c.delta_amount) FILTER (WHERE c.fee_type = 'PERFORMANCE') AS performance_total,
                sum(c.delta_amount) FILTER (WHERE c.fee_type = 'CUSTODY') AS custody_total,
                coalesce(sum(c.delta_count) FILTER (WHERE c.fee_type = 'MANAGEMENT'), 0)::integer AS management_count,
                coalesce(sum(c.delta_count) FILTER (WHERE c.fee_type = 'PERFORMANCE'), 0)::integer AS performance_count,
                coalesce(sum(c.delta_count) FILTER (WHERE c.fee_type = 'CUSTODY'), 0)::integer AS custody_count
            FROM daily_changes c
            GROUP BY c.product_isin, c.currency
        ),
        -- The latest name on the touched days is the product's latest if it is later than every record the product had;
        -- otherwise (or with no named record on those days but a name before) the records say.
        names AS MATERIALIZED (
            SELECT p.product_isin,
                CASE WHEN o.product_isin IS NULL OR c.booking_date > o.last_booking_date THEN c.product_name
                     ELSE (SELECT r.product_name FROM vestr_fee_records r
                           WHERE r.product_isin = p.product_isin AND r.product_name IS NOT NULL ORDER BY r.booking_date DESC, r.id DESC LIMIT 1)
                END AS product_name
            FROM products p
            LEFT JOIN (SELECT DISTINCT ON (f.product_isin) f.product_isin, f.booking_date, f.product_name
                       FROM fees f WHERE f.product_name IS NOT NULL
                       ORDER BY f.product_isin, f.booking_date DESC, f.id DESC) c ON c.product_isin = p.product_isin
            LEFT JOIN (SELECT product_isin, max(last_booking_date) AS last_booking_date FROM old_totals GROUP BY product_isin) o
                ON o.product_isin = p.product_isin
        ),
        currency_days AS (
            SELECT n.product_isin, n.currency, min(n.day) AS first_day, max(n.day) AS last_day
            FROM new_daily n
            GROUP BY n.product_isin, n.currency
        ),
        -- First (last) booking date: the old one still holds, against the touched days that have records now, unless
        -- its own day was touched; then the touched days decide if one of them is as early (late), else the records.
        total_rows AS MATERIALIZED (
            SELECT k.product_isin, k.currency, o.product_isin IS NOT NULL AS existed, nm.product_name,
                coalesce(o.total_amount, 0) + coalesce(c.total_amount, 0) AS total_amount,
                CASE WHEN coalesce(o.management_count, 0) + coalesce(c.management_count, 0) = 0 THEN 0
                     ELSE coalesce(o.management_total, 0) + coalesce(c.management_total, 0) END AS management_total,
                CASE WHEN coalesce(o.performance_count, 0) + coalesce(c.performance_count, 0) = 0 THEN 0
                     ELSE coalesce(o.performance_total, 0) + coalesce(c.performance_total, 0) END AS performance_total,
                CASE WHEN coalesce(o.custody_count, 0) + coalesce(c.custody_count, 0) = 0 THEN 0
                     ELSE coalesce(o.custody_total, 0) + coalesce(c.custody_total, 0) END AS custody_total,
                coalesce(o.record_count, 0) + coalesce(c.record_count, 0) AS record_count,
                coalesce(o.management_count, 0) + coalesce(c.management_count, 0) AS management_count,
                coalesce(o.performance_count, 0) + coalesce(c.performance_count, 0) AS performance_count,
                coalesce(o.custody_count, 0) + coalesce(c.custody_count, 0) AS custody_count,
                CASE WHEN o.product_isin IS NULL THEN d.first_day
                     WHEN tf.day IS NULL THEN least(o.first_booking_date, d.first_day)
                     WHEN d.first_day <= o.first_booking_date THEN d.first_day
                     ELSE (SELECT min(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = k.product_isin AND r.currency = k.currency)
                END AS first_booking_date,
                CASE WHEN o.product_isin IS NULL THEN d.last_day
                     WHEN tl.day IS NULL THEN greatest(o.last_booking_date, d.last_day)
                     WHEN d.last_day >= o.last_booking_date THEN d.last_day
                     ELSE (SELECT max(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = k.product_isin AND r.currency = k.currency)
                END AS last_booking_date
            FROM (SELECT product_isin, currency FROM old_totals UNION SELECT product_isin, currency FROM total_changes) k
            JOIN names nm ON nm.product_isin = k.product_isin
            LEFT JOIN old_totals o ON o.product_isin = k.product_isin AND o.currency = k.currency
            LEFT JOIN total_changes c ON c.product_isin = k.product_isin AND c.currency = k.currency
            LEFT JOIN currency_days d ON d.product_isin = k.product_isin AND d.currency = k.currency
            LEFT JOIN touched tf ON tf.product_isin = k.product_isin AND tf.day = o.first_booking_date
            LEFT JOIN touched tl ON tl.product_isin = k.product_isin AND tl.day = o.last_booking_date
        ),
        totals_deleted AS (
            DELETE FROM vestr_fee_product_totals t
            USING total_rows n
            WHERE n.existed AND n.record_count = 0 AND t.product_isin = n.product_isin AND t.currency = n.currency
        ),
        totals_updated AS (
            UPDATE vestr_fee_product_totals t
            SET product_name = n.product_name, total_amount = n.total_amount, management_total = n.management_total,
                performance_total = n.performance_total, custody_total = n.custody_total, record_count = n.record_count,
                management_count = n.management_count, performance_count = n.performance_count, custody_count = n.custody_count,
                first_booking_date = n.first_booking_date, last_booking_date = n.last_booking_date, updated_at = now()
            FROM total_rows n
            WHERE n.existed AND n.record_count <> 0 AND t.product_isin = n.product_isin AND t.currency = n.currency
              -- The counts tell a 0 of no records from a 0.0000 of records that cancel out, which compare equal.
              AND (t.product_name, t.total_amount, t.management_total, t.performance_total, t.custody_total, t.record_count,
                   t.management_count, t.performance_count, t.custody_count, t.first_booking_date, t.last_booking_date)
                  IS DISTINCT FROM
                  (n.product_name, n.total_amount, n.management_total, n.performance_total, n.custody_total, n.record_count,
                   n.management_count, n.performance_count, n.custody_count, n.first_booking_date, n.last_booking_date)
        )
        INSERT INTO vestr_fee_product_totals ({TotalColumns}, management_count, performance_count, custody_count, updated_at)
        SELECT n.product_isin, n.currency, n.product_name, n.total_amount, n.management_total, n.performance_total, n.custody_total,
            n.record_count, n.first_booking_date, n.last_booking_date, n.management_count, n.performance_count, n.custody_count, now()
        FROM total_rows n
        WHERE NOT n.existed AND n.record_count <> 0
        """;

    /// <summary>
    /// Rebuilds every daily and monthly summary and every product total from <c>vestr_fee_records</c>, swapped in by one
    /// transaction.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The three tables are built anew beside the old ones (<c>CREATE TABLE AS</c>, which writes in bulk; their keys
    /// indexed once the rows are in, by sorting) and swapped in for them at the end, in one transaction: readers keep
    /// reading the old tables while the rebuild runs, wait only for the swap, and never see a table half-built. The new
    /// tables are declared exactly as the migrations declare them (<see cref="RebuildTableSql"/>; a test compares the two).
    /// </para>
    /// <para>
    /// Two connections build at once, reading the same snapshot of the records (the first exports it, the second takes
    /// it): the first the daily rows, the second the monthly rows and, from them, the totals; the first swaps all three in
    /// once both are built. Daily groups are about as many as records, far more than the planner guesses, so they are
    /// summed as they stream from a covering index (<c>vestr_fee_records_day_group</c>) in key order rather than hashed;
    /// monthly rows are summed from the records a month at a time (a small hash each, from the same index), totals from
    /// the monthly rows. Each transaction raises <c>work_mem</c> and <c>maintenance_work_mem</c> for itself so its sorts
    /// and hashes stay in memory, turns JIT compilation off (it costs more than it saves here) and does not wait for its
    /// commit to reach the disk (a crash before that loses only the rebuild, not the old tables). The second connection's
    /// tables are committed under their build names before the swap; a rebuild that then fails leaves them behind, and the
    /// next rebuild drops them first.
    /// </para>
    /// </remarks>
    public async Task RebuildAllAggregatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // The lock is taken before the transaction begins: a REPEATABLE READ transaction's snapshot is taken at its first
        // statement, so one that waited for the lock inside it could miss records a refresh it waited for had summed.
        await using (var wait = new NpgsqlCommand($"SELECT pg_advisory_lock({AggregatesLockKey})", connection) { CommandTimeout = 0 })
        {
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            await ExecuteAllAsync(connection, transaction, RebuildStartSql, cancellationToken);
            string snapshot;
            await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, transaction))
            {
                snapshot = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
            }

            var monthly = BuildMonthlyAndTotalsAsync(snapshot, cancellationToken);
            var daily = ExecuteAllAsync(connection, transaction, RebuildDailySql, cancellationToken);
            // Both end before anything else happens on either connection, even when one of them fails.
            await Task.WhenAll(daily, monthly);
            await ExecuteAllAsync(connection, transaction, RebuildSwapSql, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            // A session lock outlives the transaction: released here, or the pooled connection would keep it (a broken
            // connection took it with its session).
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AggregatesLockKey})", connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The second connection of a rebuild: monthly rows and totals from the first's snapshot, committed under their build names.</summary>
    private async Task BuildMonthlyAndTotalsAsync(string snapshot, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // SET TRANSACTION SNAPSHOT must come first in the transaction, and takes no parameter; the text is PostgreSQL's own.
        await ExecuteAllAsync(connection, transaction, [$"SET TRANSACTION SNAPSHOT '{snapshot.Replace("'", "''", StringComparison.Ordinal)}'", .. RebuildMonthlySql],
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The suffix of the tables a rebuild builds before they replace the live ones.</summary>
    private const string RebuildSuffix = "_rebuild";

    private static readonly string[] RebuiltTables = ["vestr_fee_daily_summaries", "vestr_fee_monthly_summaries", "vestr_fee_product_totals"];

    private static readonly string[] SessionSettings =
    [
        "SET LOCAL work_mem = '256MB'",
        "SET LOCAL maintenance_work_mem = '256MB'",
        "SET LOCAL jit = off",
        "SET LOCAL synchronous_commit = off",
    ];

    private static readonly string[] RebuildStartSql =
    [
        .. SessionSettings,
        // Left over only by a rebuild whose transaction never committed, which leaves nothing behind; but cheap to be sure.
        $"DROP TABLE IF EXISTS vestr_fee_daily_summaries{RebuildSuffix}",
    ];

    private static readonly string[] RebuildDailySql =
    [
        "SET LOCAL enable_hashagg = off",
        $"""
        CREATE TABLE vestr_fee_daily_summaries{RebuildSuffix} AS
        SELECT booking_date AS day, product_isin, fee_type, currency, sum(amount) AS total_amount, count(*)::integer AS record_count,
            now() AS updated_at
        FROM vestr_fee_records
        GROUP BY booking_date, product_isin, fee_type, currency
        ORDER BY booking_date, product_isin, fee_type, currency
        """,
        "SET LOCAL enable_hashagg = on",
        RebuildTableSql("vestr_fee_daily_summaries"),
    ];

    private static readonly string[] RebuildMonthlySql =
    [
        .. SessionSettings,
        // Left over by a rebuild that failed after this connection committed (see RebuildAllAggregatesAsync).
        $"DROP TABLE IF EXISTS vestr_fee_monthly_summaries{RebuildSuffix}, vestr_fee_product_totals{RebuildSuffix}",
        $"""
        CREATE TABLE vestr_fee_monthly_summaries{RebuildSuffix} AS
        SELECT m.month::date AS month, d.product_isin, d.fee_type, d.currency, d.total_amount, d.record_count, now() AS updated_at
        FROM generate_series(
                (SELECT date_trunc('month', min(booking_date)::timestamp) FROM vestr_fee_records),
                (SELECT max(booking_date)::timestamp FROM vestr_fee_records),
                interval '1 month') AS m(month)
        CROSS JOIN LATERAL (
            SELECT s.product_isin, s.fee_type, s.currency, sum(s.amount) AS total_amount, count(*)::integer AS record_count
            FROM vestr_fee_records s
            WHERE s.booking_date >= m.month AND s.booking_date < m.month + interval '1 month'
            GROUP BY s.product_isin, s.fee_type, s.currency
        ) d
        """,
        RebuildTableSql("vestr_fee_monthly_summaries"),
        $"""
        CREATE TABLE vestr_fee_product_totals{RebuildSuffix} AS
        SELECT t.product_isin, t.currency,
            (SELECT r.product_name FROM vestr_fee_records r
             WHERE r.product_isin = t.product_isin AND r.product_name IS NOT NULL ORDER BY r.booking_date DESC, r.id DESC LIMIT 1) AS product_name,
            t.total_amount, t.management_total, t.performance_total, t.custody_total, t.record_count,
            (SELECT min(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = t.product_isin AND r.currency = t.currency) AS first_booking_date,
            (SELECT max(r.booking_date) FROM vestr_fee_records r WHERE r.product_isin = t.product_isin AND r.currency = t.currency) AS last_booking_date,
            now() AS updated_at, t.management_count, t.performance_count, t.custody_count
        FROM (
            SELECT m.product_isin, m.currency, sum(m.total_amount) AS total_amount,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'MANAGEMENT'), 0) AS management_total,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'PERFORMANCE'), 0) AS performance_total,
                coalesce(sum(m.total_amount) FILTER (WHERE m.fee_type = 'CUSTODY'), 0) AS custody_total,
                sum(m.record_count)::integer AS record_count,
                coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'MANAGEMENT'), 0)::integer AS management_count,
                coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'PERFORMANCE'), 0)::integer AS performance_count,
                coalesce(sum(m.record_count) FILTER (WHERE m.fee_type = 'CUSTODY'), 0)::integer AS custody_count
            FROM vestr_fee_monthly_summaries{RebuildSuffix} m
            GROUP BY m.product_isin, m.currency
        ) t
        """,
        RebuildTableSql("vestr_fee_product_totals"),
    ];

    private static readonly string[] RebuildSwapSql =
    [
        $"DROP TABLE {string.Join(", ", RebuiltTables)}",
        .. RebuiltTables.SelectMany(SwapInSql),
        // Every day is recomputed from the records: none is owed a refresh any more.
        "DELETE FROM vestr_fee_moved_days",
    ];

    /// <summary>
    /// What <c>CREATE TABLE AS</c> leaves out of a rebuilt table's declaration in the migrations (0040, 0041): NOT NULL,
    /// defaults, checks and the primary key, named as they will be named after the swap plus the suffix. The column
    /// types and order come from the <c>CREATE TABLE AS</c> statements.
    /// </summary>
    private static string RebuildTableSql(string table) =>
        table switch
        {
            "vestr_fee_daily_summaries" =>
                $"""
                ALTER TABLE vestr_fee_daily_summaries{RebuildSuffix}
                    ALTER total_amount SET NOT NULL, ALTER record_count SET NOT NULL, ALTER updated_at SET NOT NULL, ALTER updated_at SET DEFAULT now(),
                    ADD CONSTRAINT vestr_fee_daily_summaries{RebuildSuffix}_pkey PRIMARY KEY (day, product_isin, fee_type, currency)
                """,
            "vestr_fee_monthly_summaries" =>
                $"""
                ALTER TABLE vestr_fee_monthly_summaries{RebuildSuffix}
                    ALTER total_amount SET NOT NULL, ALTER record_count SET NOT NULL, ALTER updated_at SET NOT NULL, ALTER updated_at SET DEFAULT now(),
                    ADD CONSTRAINT vestr_fee_monthly_summaries{RebuildSuffix}_month_check CHECK (extract(day FROM month) = 1),
                    ADD CONSTRAINT vestr_fee_monthly_summaries{RebuildSuffix}_pkey PRIMARY KEY (month, product_isin, fee_type, currency)
                """,
            "vestr_fee_product_totals" =>
                $"""
                ALTER TABLE vestr_fee_product_totals{RebuildSuffix}
                    ALTER total_amount SET NOT NULL, ALTER management_total SET NOT NULL, ALTER performance_total SET NOT NULL,
                    ALTER custody_total SET NOT NULL, ALTER record_count SET NOT NULL, ALTER first_booking_date SET NOT NULL,
                    ALTER last_booking_date SET NOT NULL, ALTER updated_at SET NOT NULL, ALTER updated_at SET DEFAULT now(),
                    ALTER management_count SET NOT NULL, ALTER management_count SET DEFAULT 0,
                    ALTER performance_count SET NOT NULL, ALTER performance_count SET DEFAULT 0,
                    ALTER custody_count SET NOT NULL, ALTER custody_count SET DEFAULT 0,
                    ADD CONSTRAINT vestr_fee_product_totals{RebuildSuffix}_pkey PRIMARY KEY (product_isin, currency)
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a table the aggregates rebuild builds."),
        };

    /// <summary>Gives a rebuilt table, its primary key and its checks the live names (the old table is dropped by then).</summary>
    private static IEnumerable<string> SwapInSql(string table)
    {
        yield return $"ALTER TABLE {table}{RebuildSuffix} RENAME TO {table}";
        yield return $"ALTER INDEX {table}{RebuildSuffix}_pkey RENAME TO {table}_pkey";
        if (table == "vestr_fee_monthly_summaries")
        {
            yield return $"ALTER TABLE {table} RENAME CONSTRAINT {table}{RebuildSuffix}_month_check TO {table}_month_check";
        }
    }

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

    /// <summary>Rebuilds the <c>fee_latest_snapshot</c> rows of <paramref name="isins"/> from all their records, set-based; a product with no records left loses its row.</summary>
    public async Task RefreshSnapshotsAsync(IReadOnlyCollection<string> isins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isins);
        if (isins.Count == 0)
        {
            return;
        }

        await WriteSnapshotsAsync(
            $"""
            WITH targets AS MATERIALIZED (
                SELECT i.product_isin, s.product_isin IS NOT NULL AS existed
                FROM (SELECT DISTINCT unnest(@isins::text[]) AS product_isin) i
                LEFT JOIN fee_latest_snapshot s ON s.product_isin = i.product_isin
            ),
            computed AS MATERIALIZED ({LatestFeesSql("targets")}),
            {WriteSnapshotRowsSql}
            """,
            [new NpgsqlParameter("isins", isins.Distinct(StringComparer.Ordinal).ToArray())],
            cancellationToken);
    }

    /// <summary>
    /// Brings the <c>fee_latest_snapshot</c> rows of the <paramref name="touched"/> products up to date, given that their
    /// records changed on the touched days only since their rows were last refreshed or rebuilt (what
    /// <see cref="UpsertAsync"/> returns), set-based; a product with no records left loses its row.
    /// </summary>
    /// <remarks>
    /// Instead of six index probes per product into its whole history, the touched days' records are read and set
    /// against the product's row: records on days not touched are the ones the row was made from, so an old latest fee
    /// whose day was not touched is still the latest of those, and a touched day's record later than every record the
    /// product had is the latest of all. Where neither settles a value (an old latest fee on a touched day that no later
    /// record outdoes, a product without a row), the product's row is computed from all its records, as
    /// <see cref="RefreshSnapshotsAsync(IReadOnlyCollection{string}, CancellationToken)"/> does. The result is the row a
    /// rebuild gives. Running it twice gives the same rows.
    /// </remarks>
    public async Task RefreshSnapshotsAsync(IReadOnlyCollection<TouchedDay> touched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touched);
        if (touched.Count == 0)
        {
            return;
        }

        var days = touched.Distinct().ToArray();
        await WriteSnapshotsAsync(
            RefreshTouchedSnapshotsSql,
            [
                new NpgsqlParameter("isins", days.Select(d => d.ProductIsin).ToArray()),
                new NpgsqlParameter("days", days.Select(d => d.Day).ToArray()),
                new NpgsqlParameter("distinct_days", days.Select(d => d.Day).Distinct().ToArray()),
            ],
            cancellationToken);
    }

    /// <summary>Rebuilds every <c>fee_latest_snapshot</c> row from <c>vestr_fee_records</c>, in one transaction.</summary>
    public Task RebuildAllSnapshotsAsync(CancellationToken cancellationToken) =>
        WriteSnapshotsAsync(
            // The distinct products by a loose index scan: one probe per product instead of reading every record.
            $"""
            WITH RECURSIVE walk AS (
                SELECT min(product_isin) AS product_isin FROM vestr_fee_records
                UNION ALL
                SELECT (SELECT min(r.product_isin) FROM vestr_fee_records r WHERE r.product_isin > w.product_isin)
                FROM walk w WHERE w.product_isin IS NOT NULL
            ),
            products AS (SELECT product_isin FROM walk WHERE product_isin IS NOT NULL)
            INSERT INTO fee_latest_snapshot ({SnapshotColumns})
            SELECT l.*, now() FROM ({LatestFeesSql("products")}) l
            """,
            [],
            cancellationToken,
            truncateFirst: true);

    private async Task WriteSnapshotsAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken, bool truncateFirst = false)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({SnapshotsLockKey})"));
        if (truncateFirst)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("TRUNCATE fee_latest_snapshot"));
        }

        var write = new NpgsqlBatchCommand(sql);
        write.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(write);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The snapshot columns but the key and <c>updated_at</c>.</summary>
    private const string SnapshotValueColumns =
        "product_name, management_fee_date, management_fee_amount, management_fee_currency, " +
        "performance_fee_date, performance_fee_amount, performance_fee_currency, custody_fee_date, custody_fee_amount, custody_fee_currency, " +
        "latest_fee_date, latest_fee_type, latest_fee_amount, latest_fee_currency, outstanding_quantity, outstanding_quantity_date";

    /// <summary>
    /// The snapshot values (<c>product_isin</c>, then <see cref="SnapshotValueColumns"/>) of each product of the relation
    /// <paramref name="products"/> that has records, from all its records: each "latest" is one index probe per product and
    /// type (the indexes of 0040_vestr.sql), whatever the history's length.
    /// </summary>
    private static string LatestFeesSql(string products) =>
        $"""
        SELECT p.product_isin, n.product_name, m.booking_date AS management_fee_date, m.amount AS management_fee_amount,
            m.currency AS management_fee_currency, f.booking_date AS performance_fee_date, f.amount AS performance_fee_amount,
            f.currency AS performance_fee_currency, c.booking_date AS custody_fee_date, c.amount AS custody_fee_amount,
            c.currency AS custody_fee_currency, a.booking_date AS latest_fee_date, a.fee_type AS latest_fee_type, a.amount AS latest_fee_amount,
            a.currency AS latest_fee_currency, q.outstanding_quantity, q.booking_date AS outstanding_quantity_date
        FROM {products} p
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

    private static string LatestOfType(string feeType) =>
        $"""
        SELECT r.booking_date, r.amount, r.currency FROM vestr_fee_records r
        WHERE r.product_isin = p.product_isin AND r.fee_type = '{feeType}' ORDER BY r.booking_date DESC, r.id DESC LIMIT 1
        """;

    /// <summary>
    /// Writes the rows of <c>computed</c> (<c>product_isin</c> and <see cref="SnapshotValueColumns"/>) for the products of
    /// <c>targets</c> (<c>product_isin</c>, <c>existed</c>: whether it had a row): updates the rows that change, inserts the
    /// new ones, deletes those of products <c>computed</c> has no row for. Each CTE writes other keys, so their order does
    /// not matter.
    /// </summary>
    private const string WriteSnapshotRowsSql =
        $"""
        snapshots_deleted AS (
            DELETE FROM fee_latest_snapshot s
            USING targets t
            WHERE t.existed AND s.product_isin = t.product_isin AND NOT EXISTS (SELECT 1 FROM computed c WHERE c.product_isin = t.product_isin)
        ),
        snapshots_updated AS (
            UPDATE fee_latest_snapshot s
            SET ({SnapshotValueColumns}, updated_at) = (
                c.product_name, c.management_fee_date, c.management_fee_amount, c.management_fee_currency,
                c.performance_fee_date, c.performance_fee_amount, c.performance_fee_currency, c.custody_fee_date, c.custody_fee_amount,
                c.custody_fee_currency, c.latest_fee_date, c.latest_fee_type, c.latest_fee_amount, c.latest_fee_currency,
                c.outstanding_quantity, c.outstanding_quantity_date, now())
            FROM computed c
            JOIN targets t ON t.product_isin = c.product_isin AND t.existed
            WHERE s.product_isin = c.product_isin
              AND (s.product_name, s.management_fee_date, s.management_fee_amount, s.management_fee_currency,
                   s.performance_fee_date, s.performance_fee_amount, s.performance_fee_currency, s.custody_fee_date, s.custody_fee_amount,
                   s.custody_fee_currency, s.latest_fee_date, s.latest_fee_type, s.latest_fee_amount, s.latest_fee_currency,
                   s.outstanding_quantity, s.outstanding_quantity_date)
                  IS DISTINCT FROM
                  (c.product_name, c.management_fee_date, c.management_fee_amount, c.management_fee_currency,
                   c.performance_fee_date, c.performance_fee_amount, c.performance_fee_currency, c.custody_fee_date, c.custody_fee_amount,
                   c.custody_fee_currency, c.latest_fee_date, c.latest_fee_type, c.latest_fee_amount, c.latest_fee_currency,
                   c.outstanding_quantity, c.outstanding_quantity_date)
        )
        INSERT INTO fee_latest_snapshot ({SnapshotColumns})
        SELECT c.*, now()
        FROM computed c
        JOIN targets t ON t.product_isin = c.product_isin AND NOT t.existed
        """;

    private static readonly string RefreshTouchedSnapshotsSql =
        $"""
        WITH {TouchedFeesSql},
        latest_any AS (
            SELECT DISTINCT ON (f.product_isin) f.product_isin, f.booking_date, f.fee_type, f.amount, f.currency
            FROM fees f ORDER BY f.product_isin, f.booking_date DESC, f.id DESC
        ),
        latest_of_type AS (
            SELECT l.product_isin,
                max(l.booking_date) FILTER (WHERE l.fee_type = 'MANAGEMENT') AS m_date, min(l.amount) FILTER (WHERE l.fee_type = 'MANAGEMENT') AS m_amount,
                min(l.currency) FILTER (WHERE l.fee_type = 'MANAGEMENT') AS m_currency,
                max(l.booking_date) FILTER (WHERE l.fee_type = 'PERFORMANCE') AS p_date, min(l.amount) FILTER (WHERE l.fee_type = 'PERFORMANCE') AS p_amount,
                min(l.currency) FILTER (WHERE l.fee_type = 'PERFORMANCE') AS p_currency,
                max(l.booking_date) FILTER (WHERE l.fee_type = 'CUSTODY') AS c_date, min(l.amount) FILTER (WHERE l.fee_type = 'CUSTODY') AS c_amount,
                min(l.currency) FILTER (WHERE l.fee_type = 'CUSTODY') AS c_currency
            FROM (SELECT DISTINCT ON (f.product_isin, f.fee_type) f.product_isin, f.fee_type, f.booking_date, f.amount, f.currency
                  FROM fees f ORDER BY f.product_isin, f.fee_type, f.booking_date DESC, f.id DESC) l
            GROUP BY l.product_isin
        ),
        latest_quantity AS (
            SELECT DISTINCT ON (f.product_isin) f.product_isin, f.booking_date, f.outstanding_quantity
            FROM fees f WHERE f.outstanding_quantity IS NOT NULL ORDER BY f.product_isin, f.booking_date DESC, f.id DESC
        ),
        latest_name AS (
            SELECT DISTINCT ON (f.product_isin) f.product_isin, f.booking_date, f.product_name
            FROM fees f WHERE f.product_name IS NOT NULL ORDER BY f.product_isin, f.booking_date DESC, f.id DESC
        ),
        -- Each product's row set against the latest of its touched days' records (a, t, q, n). A value is settled when the
        -- touched days' candidate is later than the product's old latest fee of any type, or when the old value's day
        -- (ta, tm, tp, tc, tq: that day among the touched ones) was not touched; a name has no day, so only the first.
        merged AS MATERIALIZED (
            SELECT p.product_isin, s.product_isin IS NOT NULL AS existed,
                s.product_isin IS NULL
                OR (ta.day IS NOT NULL AND NOT coalesce(a.booking_date > s.latest_fee_date, false))
                OR (tm.day IS NOT NULL AND NOT coalesce(t.m_date > s.latest_fee_date, false))
                OR (tp.day IS NOT NULL AND NOT coalesce(t.p_date > s.latest_fee_date, false))
                OR (tc.day IS NOT NULL AND NOT coalesce(t.c_date > s.latest_fee_date, false))
                OR (tq.day IS NOT NULL AND NOT coalesce(q.booking_date > s.latest_fee_date, false))
                OR (s.product_name IS NOT NULL AND NOT coalesce(n.booking_date > s.latest_fee_date, false)) AS from_all_records,
                CASE WHEN s.product_name IS NULL OR n.booking_date > s.latest_fee_date THEN n.product_name ELSE s.product_name END AS product_name,
                CASE WHEN s.management_fee_date IS NULL OR t.m_date > s.management_fee_date THEN t.m_date ELSE s.management_fee_date END AS management_fee_date,
                CASE WHEN s.management_fee_date IS NULL OR t.m_date > s.management_fee_date THEN t.m_amount ELSE s.management_fee_amount END AS management_fee_amount,
                CASE WHEN s.management_fee_date IS NULL OR t.m_date > s.management_fee_date THEN t.m_currency ELSE s.management_fee_currency END AS management_fee_currency,
                CASE WHEN s.performance_fee_date IS NULL OR t.p_date > s.performance_fee_date THEN t.p_date ELSE s.performance_fee_date END AS performance_fee_date,
                CASE WHEN s.performance_fee_date IS NULL OR t.p_date > s.performance_fee_date THEN t.p_amount ELSE s.performance_fee_amount END AS performance_fee_amount,
                CASE WHEN s.performance_fee_date IS NULL OR t.p_date > s.performance_fee_date THEN t.p_currency ELSE s.performance_fee_currency END AS performance_fee_currency,
                CASE WHEN s.custody_fee_date IS NULL OR t.c_date > s.custody_fee_date THEN t.c_date ELSE s.custody_fee_date END AS custody_fee_date,
                CASE WHEN s.custody_fee_date IS NULL OR t.c_date > s.custody_fee_date THEN t.c_amount ELSE s.custody_fee_amount END AS custody_fee_amount,
                CASE WHEN s.custody_fee_date IS NULL OR t.c_date > s.custody_fee_date THEN t.c_currency ELSE s.custody_fee_currency END AS custody_fee_currency,
                CASE WHEN a.booking_date > s.latest_fee_date THEN a.booking_date ELSE s.latest_fee_date END AS latest_fee_date,
                CASE WHEN a.booking_date > s.latest_fee_date THEN a.fee_type ELSE s.latest_fee_type END AS latest_fee_type,
                CASE WHEN a.booking_date > s.latest_fee_date THEN a.amount ELSE s.latest_fee_amount END AS latest_fee_amount,
                CASE WHEN a.booking_date > s.latest_fee_date THEN a.currency ELSE s.latest_fee_currency END AS latest_fee_currency,
                CASE WHEN s.outstanding_quantity_date IS NULL OR q.booking_date > s.outstanding_quantity_date
                     THEN q.outstanding_quantity ELSE s.outstanding_quantity END AS outstanding_quantity,
                CASE WHEN s.outstanding_quantity_date IS NULL OR q.booking_date > s.outstanding_quantity_date
                     THEN q.booking_date ELSE s.outstanding_quantity_date END AS outstanding_quantity_date
            FROM (SELECT DISTINCT t.product_isin FROM touched t) p
            LEFT JOIN fee_latest_snapshot s ON s.product_isin = p.product_isin
            LEFT JOIN latest_any a ON a.product_isin = p.product_isin
            LEFT JOIN latest_of_type t ON t.product_isin = p.product_isin
            LEFT JOIN latest_quantity q ON q.product_isin = p.product_isin
            LEFT JOIN latest_name n ON n.product_isin = p.product_isin
            LEFT JOIN touched ta ON ta.product_isin = p.product_isin AND ta.day = s.latest_fee_date
            LEFT JOIN touched tm ON tm.product_isin = p.product_isin AND tm.day = s.management_fee_date
            LEFT JOIN touched tp ON tp.product_isin = p.product_isin AND tp.day = s.performance_fee_date
            LEFT JOIN touched tc ON tc.product_isin = p.product_isin AND tc.day = s.custody_fee_date
            LEFT JOIN touched tq ON tq.product_isin = p.product_isin AND tq.day = s.outstanding_quantity_date
        ),
        targets AS (
            SELECT m.product_isin, m.existed FROM merged m
        ),
        computed AS (
            SELECT m.product_isin, {SnapshotValueColumns}
            FROM merged m
            WHERE NOT m.from_all_records
            UNION ALL
            SELECT * FROM ({LatestFeesSql("(SELECT m.product_isin FROM merged m WHERE m.from_all_records)")}) l
        ),
        {WriteSnapshotRowsSql}
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
