using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Computes holdings (average-cost method, see <see cref="Position"/>) from all transactions of a batch of assets and
/// replaces the stored rows of those assets in one database transaction: <c>fintrack.holdings</c> (valued at the
/// latest quote) and <c>fintrack.holdings_monthly</c> (month-end snapshots).
/// </summary>
/// <remarks>
/// <para>
/// Each call streams the batch's transactions with one ordered query (an index-only scan), computes in memory and
/// writes with binary COPY into a temporary table, then deletes the batch's rows that no longer exist and upserts
/// the rest, touching only rows whose values changed. A recompute over unchanged transactions and prices therefore
/// writes nothing and leaves identical rows: the job may rerun a batch after a crash at no cost.
/// </para>
/// <para>
/// Calls for the same asset are serialised with a transaction-level advisory lock per asset (one lock class for
/// daily holdings, one for monthly), so a slow batch can never overwrite a newer computation with older data.
/// </para>
/// <para>
/// A sale of more than was held throws <see cref="HoldingsDataException"/> before anything is written: the whole
/// call (batch) fails and the job runtime dead-letters it; other batches are unaffected.
/// </para>
/// <para>Stored measures are rounded to 10 decimal places.</para>
/// </remarks>
public sealed partial class HoldingsCalculator
{
    // pg_advisory_xact_lock(int, int): first key = lock class ("FTH" + 'D'/'M'), second = hashtext(asset_id).
    private const int DailyLockClass = 0x4654_4844;
    private const int MonthlyLockClass = 0x4654_484D;

    private static string TransactionQuery(bool oneAccount) =>
        $"""
        SELECT account_id, asset_id, transaction_id,
               CASE type WHEN 'buy' THEN 0 WHEN 'sell' THEN 1 WHEN 'dividend' THEN 2 ELSE 3 END,
               COALESCE(quantity, 0), COALESCE(price, 0), amount, trade_date
        FROM fintrack.transactions
        WHERE asset_id = ANY(@assets) {(oneAccount ? "AND account_id = @account" : string.Empty)}
        ORDER BY asset_id, account_id, trade_date, transaction_id
        """;

    private const string HoldingColumns =
        "account_id, asset_id, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, market_value, unrealised_pnl, as_of, last_trade_date, transaction_count";

    private const string MonthlyColumns =
        "account_id, asset_id, month, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, price_date, price_source, market_value, unrealised_pnl, month_transactions";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<HoldingsCalculator> _logger;

    /// <summary>Creates a calculator over the database <paramref name="dataSource"/> connects to.</summary>
    public HoldingsCalculator(NpgsqlDataSource dataSource, ILogger<HoldingsCalculator> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>
    /// Replaces the <c>fintrack.holdings</c> rows of <paramref name="assetIds"/> (of every account, or only of
    /// <paramref name="accountId"/>) with holdings computed from all their transactions in trade-date order (ties by
    /// transaction id), valued at <c>fintrack.prices_latest</c>.
    /// </summary>
    /// <returns>
    /// The number of holdings rows that now stand for these assets (one per account and asset with at least one
    /// transaction), whether written now or already identical.
    /// </returns>
    /// <remarks>
    /// A position sold down to zero keeps its row (its realised P&amp;L, dividends and fees still count). Without a
    /// quote, price, market value, unrealised P&amp;L and as-of are null.
    /// </remarks>
    /// <exception cref="HoldingsDataException">A sale exceeds the quantity held; nothing was written.</exception>
    public async Task<int> ComputeHoldingsAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken)
    {
        var assets = Distinct(assetIds);
        if (assets.Length == 0)
        {
            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAssetsAsync(connection, DailyLockClass, assets, cancellationToken);
        var quotes = await ReadQuotesAsync(connection, assets, cancellationToken);

        var rows = new List<HoldingRow>();
        var transactions = await StreamPositionsAsync(connection, assets, accountId, onTransaction: null, onPositionEnd: position =>
        {
            var quote = quotes[position.AssetId];
            decimal? marketValue = quote.Price is { } price ? position.Quantity * price : null;
            rows.Add(new HoldingRow(
                position.AccountId,
                position.AssetId,
                quote.Currency,
                Numbers.Stored(position.Quantity),
                Numbers.Stored(position.AverageCost),
                Numbers.Stored(position.CostBasis),
                Numbers.Stored(position.RealisedPnl),
                Numbers.Stored(position.Dividends),
                Numbers.Stored(position.Fees),
                quote.Price,
                marketValue is { } value ? Numbers.Stored(value) : null,
                marketValue is { } mv ? Numbers.Stored(mv - position.CostBasis) : null,
                quote.AsOf,
                position.LastTradeDate,
                position.Transactions));
        }, cancellationToken);

        await StagingTable.CopyAsync(connection, "holdings_stage", "fintrack.holdings", HoldingColumns, rows, WriteHolding, cancellationToken);
        var scope = accountId is null ? string.Empty : "AND h.account_id = @account";
        await StagingTable.ExecuteAsync(connection,
            $"""
            DELETE FROM fintrack.holdings h
            WHERE h.asset_id = ANY(@assets) {scope}
              AND NOT EXISTS (SELECT 1 FROM holdings_stage s WHERE s.account_id = h.account_id AND s.asset_id = h.asset_id)
            """,
            cancellationToken,
            ScopeParameters(assets, accountId));
        await StagingTable.ExecuteAsync(connection, Upsert("fintrack.holdings", HoldingColumns, "account_id, asset_id", "holdings_stage"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogComputed("holdings", assets.Length, accountId ?? "all", transactions, rows.Count, stopwatch.ElapsedMilliseconds);
        return rows.Count;
    }

    /// <summary>
    /// Replaces the <c>fintrack.holdings_monthly</c> rows of <paramref name="assetIds"/> (of every account, or only of
    /// <paramref name="accountId"/>) with month-end snapshots computed from all their transactions.
    /// </summary>
    /// <returns>The number of monthly rows that now stand for these assets, whether written now or already identical.</returns>
    /// <remarks>
    /// <para>
    /// Rule: an account and asset get one row for each calendar month in which they have at least one transaction (by
    /// trade date), holding the state after every transaction up to and including that month's last day. A month
    /// without transactions gets no row: the position carries over unchanged, and the latest row at or before a month
    /// describes it. A trade on the last day of a month belongs to that month.
    /// </para>
    /// <para>
    /// Valuation: the last <c>fintrack.price_history</c> close on or before the month's last day
    /// (<c>price_source = 'history'</c>, <c>price_date</c> its day); if the asset has no close that early, the latest
    /// quote (<c>price_source = 'latest'</c>); with neither, price, market value and unrealised P&amp;L are null.
    /// </para>
    /// </remarks>
    /// <exception cref="HoldingsDataException">A sale exceeds the quantity held; nothing was written.</exception>
    public async Task<int> ComputeMonthlyHoldingsAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken)
    {
        var assets = Distinct(assetIds);
        if (assets.Length == 0)
        {
            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAssetsAsync(connection, MonthlyLockClass, assets, cancellationToken);
        var quotes = await ReadQuotesAsync(connection, assets, cancellationToken);

        // Snapshots are taken while streaming (when the month changes and at the end of each position) and valued
        // afterwards with one query for all the month ends they need.
        var snapshots = new List<MonthlySnapshot>();
        var month = default(DateOnly);
        var monthTransactions = 0;
        Position? current = null;
        var transactions = await StreamPositionsAsync(connection, assets, accountId,
            onTransaction: (position, tradeDate) =>
            {
                var tradeMonth = new DateOnly(tradeDate.Year, tradeDate.Month, 1);
                if (!ReferenceEquals(position, current))
                {
                    current = position;
                    month = tradeMonth;
                    monthTransactions = 0;
                }
                else if (tradeMonth != month)
                {
                    snapshots.Add(MonthlySnapshot.Of(position, month, monthTransactions));
                    month = tradeMonth;
                    monthTransactions = 0;
                }

                monthTransactions++;
            },
            onPositionEnd: position => snapshots.Add(MonthlySnapshot.Of(position, month, monthTransactions)),
            cancellationToken);

        var closes = await ReadMonthEndClosesAsync(connection, snapshots, cancellationToken);
        var rows = new List<MonthlyRow>(snapshots.Count);
        foreach (var snapshot in snapshots)
        {
            var quote = quotes[snapshot.AssetId];
            decimal? price = null;
            DateOnly? priceDate = null;
            string? source = null;
            if (closes.TryGetValue((snapshot.AssetId, snapshot.Month), out var close))
            {
                (price, priceDate, source) = (close.Close, close.Day, "history");
            }
            else if (quote.Price is { } latest)
            {
                (price, source) = (latest, "latest");
            }

            decimal? marketValue = price is { } p ? snapshot.Quantity * p : null;
            rows.Add(new MonthlyRow(
                snapshot.AccountId,
                snapshot.AssetId,
                snapshot.Month,
                quote.Currency,
                Numbers.Stored(snapshot.Quantity),
                Numbers.Stored(snapshot.AverageCost),
                Numbers.Stored(snapshot.CostBasis),
                Numbers.Stored(snapshot.RealisedPnl),
                Numbers.Stored(snapshot.Dividends),
                Numbers.Stored(snapshot.Fees),
                price,
                priceDate,
                source,
                marketValue is { } value ? Numbers.Stored(value) : null,
                marketValue is { } mv ? Numbers.Stored(mv - snapshot.CostBasis) : null,
                snapshot.MonthTransactions));
        }

        await StagingTable.CopyAsync(connection, "holdings_monthly_stage", "fintrack.holdings_monthly", MonthlyColumns, rows, WriteMonthly, cancellationToken);
        var scope = accountId is null ? string.Empty : "AND h.account_id = @account";
        await StagingTable.ExecuteAsync(connection,
            $"""
            DELETE FROM fintrack.holdings_monthly h
            WHERE h.asset_id = ANY(@assets) {scope}
              AND NOT EXISTS (SELECT 1 FROM holdings_monthly_stage s
                              WHERE s.account_id = h.account_id AND s.asset_id = h.asset_id AND s.month = h.month)
            """,
            cancellationToken,
            ScopeParameters(assets, accountId));
        await StagingTable.ExecuteAsync(connection,
            Upsert("fintrack.holdings_monthly", MonthlyColumns, "account_id, asset_id, month", "holdings_monthly_stage"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogComputed("monthly holdings", assets.Length, accountId ?? "all", transactions, rows.Count, stopwatch.ElapsedMilliseconds);
        return rows.Count;
    }

    private static string[] Distinct(IReadOnlyList<string> assetIds)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        if (assetIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Asset ids must not be null or empty.", nameof(assetIds));
        }

        return [.. assetIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static NpgsqlParameter[] ScopeParameters(string[] assets, string? accountId) => accountId is null
        ? [new NpgsqlParameter("assets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = assets }]
        : [
            new NpgsqlParameter("assets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = assets },
            new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = accountId },
        ];

    /// <summary>
    /// INSERT from the stage, updating a conflicting row only when a value differs, so recomputing unchanged data
    /// writes no row versions.
    /// </summary>
    private static string Upsert(string table, string columns, string key, string stage)
    {
        var keys = key.Split(", ");
        var values = columns.Split(", ").Where(c => !keys.Contains(c)).ToList();
        return $"""
            INSERT INTO {table} AS t ({columns}) SELECT {columns} FROM {stage}
            ON CONFLICT ({key}) DO UPDATE SET {string.Join(", ", values.Select(c => $"{c} = EXCLUDED.{c}"))}
            WHERE ({string.Join(", ", values.Select(c => $"t.{c}"))}) IS DISTINCT FROM ({string.Join(", ", values.Select(c => $"EXCLUDED.{c}"))})
            """;
    }

    private static async Task LockAssetsAsync(NpgsqlConnection connection, int lockClass, string[] assets, CancellationToken cancellationToken)
    {
        // Ordered, so two calls with overlapping batches take their locks in the same order and cannot deadlock.
        await using var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@class, k) FROM (SELECT DISTINCT hashtext(a) AS k FROM unnest(@assets) AS a ORDER BY 1) AS keys",
            connection);
        command.Parameters.AddWithValue("class", lockClass);
        command.Parameters.AddWithValue("assets", assets);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The currency and latest quote of every requested asset (unknown assets get their id's row with no price).</summary>
    private static async Task<Dictionary<string, Quote>> ReadQuotesAsync(NpgsqlConnection connection, string[] assets, CancellationToken cancellationToken)
    {
        var quotes = new Dictionary<string, Quote>(assets.Length, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            """
            SELECT a.asset_id, a.currency, p.price, p.as_of
            FROM fintrack.assets a LEFT JOIN fintrack.prices_latest p ON p.asset_id = a.asset_id
            WHERE a.asset_id = ANY(@assets)
            """,
            connection);
        command.Parameters.AddWithValue("assets", assets);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            quotes[reader.GetString(0)] = new Quote(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3));
        }

        return quotes;
    }

    /// <summary>
    /// Streams the transactions of <paramref name="assets"/> in (asset, account, trade date, id) order through one
    /// <see cref="Position"/> per account and asset.
    /// </summary>
    /// <returns>The number of transactions read.</returns>
    private static async Task<int> StreamPositionsAsync(
        NpgsqlConnection connection,
        string[] assets,
        string? accountId,
        Action<Position, DateOnly>? onTransaction,
        Action<Position> onPositionEnd,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TransactionQuery(accountId is not null), connection);
        command.Parameters.AddRange(ScopeParameters(assets, accountId));
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        Position? position = null;
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var account = reader.GetString(0);
            var asset = reader.GetString(1);
            var transactionId = reader.GetString(2);
            var type = (TransactionType)reader.GetInt32(3);
            var quantity = reader.GetDecimal(4);
            var price = reader.GetDecimal(5);
            var amount = reader.GetDecimal(6);
            var tradeDate = reader.GetFieldValue<DateOnly>(7);
            if (position is null || !string.Equals(position.AccountId, account, StringComparison.Ordinal)
                || !string.Equals(position.AssetId, asset, StringComparison.Ordinal))
            {
                if (position is not null)
                {
                    onPositionEnd(position);
                }

                position = new Position(account, asset);
            }

            onTransaction?.Invoke(position, tradeDate);
            position.Apply(type, quantity, price, amount, tradeDate, transactionId);
            count++;
        }

        if (position is not null)
        {
            onPositionEnd(position);
        }

        return count;
    }

    /// <summary>For each (asset, month) snapshot, the last close on or before the month's last day, if any.</summary>
    private static async Task<Dictionary<(string AssetId, DateOnly Month), DailyClose>> ReadMonthEndClosesAsync(
        NpgsqlConnection connection, List<MonthlySnapshot> snapshots, CancellationToken cancellationToken)
    {
        var wanted = snapshots.Select(s => (s.AssetId, s.Month)).Distinct().ToList();
        var closes = new Dictionary<(string, DateOnly), DailyClose>(wanted.Count);
        if (wanted.Count == 0)
        {
            return closes;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT w.asset_id, w.month, c.day, c.close
            FROM unnest(@assets, @months) AS w(asset_id, month)
            CROSS JOIN LATERAL (
                SELECT h.day, h.close FROM fintrack.price_history h
                WHERE h.asset_id = w.asset_id AND h.day < (w.month + interval '1 month')::date
                ORDER BY h.day DESC
                LIMIT 1) AS c
            """,
            connection);
        command.Parameters.AddWithValue("assets", wanted.Select(w => w.AssetId).ToArray());
        command.Parameters.AddWithValue("months", wanted.Select(w => w.Month).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var assetId = reader.GetString(0);
            closes[(assetId, reader.GetFieldValue<DateOnly>(1))] =
                new DailyClose(assetId, reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3));
        }

        return closes;
    }

    // The holdings COPYs write tens of thousands of rows per call: the synchronous writes fill Npgsql's buffer
    // without an async state machine per field and only block briefly when it flushes to the socket.
    private static Task WriteHolding(NpgsqlBinaryImporter importer, HoldingRow row, CancellationToken cancellationToken)
    {
        importer.Write(row.AccountId, NpgsqlDbType.Text);
        importer.Write(row.AssetId, NpgsqlDbType.Text);
        importer.Write(row.Currency, NpgsqlDbType.Text);
        importer.Write(row.Quantity, NpgsqlDbType.Numeric);
        importer.Write(row.AverageCost, NpgsqlDbType.Numeric);
        importer.Write(row.CostBasis, NpgsqlDbType.Numeric);
        importer.Write(row.RealisedPnl, NpgsqlDbType.Numeric);
        importer.Write(row.Dividends, NpgsqlDbType.Numeric);
        importer.Write(row.Fees, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.Price, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.MarketValue, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.UnrealisedPnl, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.AsOf, NpgsqlDbType.TimestampTz);
        importer.Write(row.LastTradeDate, NpgsqlDbType.Date);
        importer.Write(row.TransactionCount, NpgsqlDbType.Integer);
        return Task.CompletedTask;
    }

    private static Task WriteMonthly(NpgsqlBinaryImporter importer, MonthlyRow row, CancellationToken cancellationToken)
    {
        importer.Write(row.AccountId, NpgsqlDbType.Text);
        importer.Write(row.AssetId, NpgsqlDbType.Text);
        importer.Write(row.Month, NpgsqlDbType.Date);
        importer.Write(row.Currency, NpgsqlDbType.Text);
        importer.Write(row.Quantity, NpgsqlDbType.Numeric);
        importer.Write(row.AverageCost, NpgsqlDbType.Numeric);
        importer.Write(row.CostBasis, NpgsqlDbType.Numeric);
        importer.Write(row.RealisedPnl, NpgsqlDbType.Numeric);
        importer.Write(row.Dividends, NpgsqlDbType.Numeric);
        importer.Write(row.Fees, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.Price, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.PriceDate, NpgsqlDbType.Date);
        WriteNullable(importer, row.PriceSource, NpgsqlDbType.Text);
        WriteNullable(importer, row.MarketValue, NpgsqlDbType.Numeric);
        WriteNullable(importer, row.UnrealisedPnl, NpgsqlDbType.Numeric);
        importer.Write(row.MonthTransactions, NpgsqlDbType.Integer);
        return Task.CompletedTask;
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } present)
        {
            importer.Write(present, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Computed {What} of {Assets} assets (account {Account}) from {Transactions} transactions: {Rows} rows in {ElapsedMilliseconds} ms")]
    private partial void LogComputed(string what, int assets, string account, int transactions, int rows, long elapsedMilliseconds);

    private sealed record Quote(string Currency, decimal? Price, DateTime? AsOf);

    private sealed record HoldingRow(
        string AccountId, string AssetId, string Currency, decimal Quantity, decimal AverageCost, decimal CostBasis,
        decimal RealisedPnl, decimal Dividends, decimal Fees, decimal? Price, decimal? MarketValue, decimal? UnrealisedPnl,
        DateTime? AsOf, DateOnly LastTradeDate, int TransactionCount);

    private sealed record MonthlyRow(
        string AccountId, string AssetId, DateOnly Month, string Currency, decimal Quantity, decimal AverageCost, decimal CostBasis,
        decimal RealisedPnl, decimal Dividends, decimal Fees, decimal? Price, DateOnly? PriceDate, string? PriceSource,
        decimal? MarketValue, decimal? UnrealisedPnl, int MonthTransactions);

    /// <summary>A position's state at the end of a month (the snapshot is taken before the next month's first transaction).</summary>
    private sealed record MonthlySnapshot(
        string AccountId, string AssetId, DateOnly Month, decimal Quantity, decimal AverageCost, decimal CostBasis,
        decimal RealisedPnl, decimal Dividends, decimal Fees, int MonthTransactions)
    {
        public static MonthlySnapshot Of(Position position, DateOnly month, int monthTransactions) => new(
            position.AccountId, position.AssetId, month, position.Quantity, position.AverageCost, position.CostBasis,
            position.RealisedPnl, position.Dividends, position.Fees, monthTransactions);
    }
}
