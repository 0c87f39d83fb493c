using System.Data;
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
/// Each call streams the batch's transactions with one ordered query (an index-only scan) and computes in memory.
/// It then reads the keys and fingerprints (a hash of the values) of the batch's stored rows, deletes rows that no
/// longer exist or whose values changed, and binary-COPYs the new and changed rows straight into the table. A
/// recompute over unchanged transactions and prices therefore writes nothing and leaves identical rows: the job may
/// rerun a batch after a crash at no cost.
/// </para>
/// <para>
/// Calls for the same asset are serialised with a transaction-level advisory lock per asset (one lock class for
/// daily holdings, one for monthly), so a slow batch can never overwrite a newer computation with older data, and
/// nothing else writes these rows.
/// </para>
/// <para>
/// A sale of more than was held throws <see cref="HoldingsDataException"/> before anything is written: the whole
/// call (batch) fails and the job runtime dead-letters it; other batches are unaffected.
/// </para>
/// <para>Stored measures are rounded to 10 decimal places (half away from zero).</para>
/// </remarks>
public sealed partial class HoldingsCalculator
{
    // pg_advisory_xact_lock(int, int): first key = lock class ("FTH" + 'D'/'M'), second = hashtext(asset_id).
    private const int DailyLockClass = 0x4654_4844;
    private const int MonthlyLockClass = 0x4654_484D;

    private static readonly HoldingsTable DailyTable = new(
        "fintrack.holdings",
        "account_id, asset_id, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, market_value, unrealised_pnl, as_of, last_trade_date, transaction_count, fingerprint",
        Monthly: false);

    private static readonly HoldingsTable MonthlyTable = new(
        "fintrack.holdings_monthly",
        "account_id, asset_id, month, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, price_date, price_source, market_value, unrealised_pnl, month_transactions, fingerprint",
        Monthly: true);

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
        var quotes = await LockAndReadQuotesAsync(connection, DailyLockClass, assets, cancellationToken);

        var rows = new List<HoldingRow>();
        var transactions = await StreamPositionsAsync(connection, assets, accountId, onTransaction: null, onPositionEnd: position =>
        {
            var quote = quotes[position.AssetId];
            decimal? marketValue = quote.Price is { } price ? position.Quantity * price : null;
            rows.Add(HoldingRow.Create(
                position.AccountId,
                position.AssetId,
                quote.Currency,
                Numbers.Stored(position.Quantity),
                Numbers.Stored(position.AverageCost),
                Numbers.Stored(position.CostBasis),
                Numbers.Stored(position.RealisedPnl),
                Numbers.Stored(position.Dividends),
                Numbers.Stored(position.Fees),
                quote.Price is { } p ? Numbers.Stored(p) : null,
                marketValue is { } value ? Numbers.Stored(value) : null,
                marketValue is { } mv ? Numbers.Stored(mv - position.CostBasis) : null,
                quote.AsOf,
                position.LastTradeDate,
                position.Transactions));
        }, cancellationToken);

        var written = await ReplaceAsync(connection, DailyTable, rows, assets, accountId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogComputed("holdings", assets.Length, accountId ?? "all", transactions, rows.Count, written, stopwatch.ElapsedMilliseconds);
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
        var quotes = await LockAndReadQuotesAsync(connection, MonthlyLockClass, assets, cancellationToken);

        // Month-end closes first, so each snapshot is valued as it is taken: when the month changes and at the end
        // of each position.
        var closes = await ReadMonthEndClosesAsync(connection, assets, accountId, cancellationToken);
        var rows = new List<MonthlyRow>();
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
                    rows.Add(Snapshot(position, month, monthTransactions));
                    month = tradeMonth;
                    monthTransactions = 0;
                }

                monthTransactions++;
            },
            onPositionEnd: position => rows.Add(Snapshot(position, month, monthTransactions)),
            cancellationToken);

        var written = await ReplaceAsync(connection, MonthlyTable, rows, assets, accountId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        MonthlyRow Snapshot(Position position, DateOnly month, int monthTransactions)
        {
            decimal? price = null;
            DateOnly? priceDate = null;
            string? source = null;
            if (closes.TryGetValue((position.AssetId, month), out var close))
            {
                (price, priceDate, source) = (Numbers.Stored(close.Close), close.Day, "history");
            }
            else if (quotes[position.AssetId].Price is { } latest)
            {
                (price, source) = (Numbers.Stored(latest), "latest");
            }

            decimal? marketValue = price is { } p ? position.Quantity * p : null;
            return MonthlyRow.Create(
                position.AccountId,
                position.AssetId,
                month,
                quotes[position.AssetId].Currency,
                Numbers.Stored(position.Quantity),
                Numbers.Stored(position.AverageCost),
                Numbers.Stored(position.CostBasis),
                Numbers.Stored(position.RealisedPnl),
                Numbers.Stored(position.Dividends),
                Numbers.Stored(position.Fees),
                price,
                priceDate,
                source,
                marketValue is { } value ? Numbers.Stored(value) : null,
                marketValue is { } mv ? Numbers.Stored(mv - position.CostBasis) : null,
                monthTransactions);
        }

        LogComputed("monthly holdings", assets.Length, accountId ?? "all", transactions, rows.Count, written, stopwatch.ElapsedMilliseconds);
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

    private static void AddScope(NpgsqlCommand command, string[] assets, string? accountId)
    {
        command.Parameters.Add(new NpgsqlParameter("assets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = assets });
        if (accountId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = accountId });
        }
    }

    /// <summary>
    /// Takes the per-asset locks, then reads the currency and latest quote of every requested asset that exists.
    /// </summary>
    private static async Task<Dictionary<string, Quote>> LockAndReadQuotesAsync(
        NpgsqlConnection connection, int lockClass, string[] assets, CancellationToken cancellationToken)
    {
        // Ordered, so two calls with overlapping batches take their locks in the same order and cannot deadlock.
        // The quotes are read by a later statement, whose snapshot is taken once the locks are held.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "SELECT pg_advisory_xact_lock(@class, k) FROM (SELECT DISTINCT hashtext(a) AS k FROM unnest(@assets) AS a ORDER BY 1) AS keys")
                {
                    Parameters = { new NpgsqlParameter("class", lockClass), new NpgsqlParameter("assets", assets) },
                },
                new NpgsqlBatchCommand(
                    """
                    SELECT a.asset_id, a.currency, p.price, p.as_of
                    FROM fintrack.assets a LEFT JOIN fintrack.prices_latest p ON p.asset_id = a.asset_id
                    WHERE a.asset_id = ANY(@assets)
                    """)
                {
                    Parameters = { new NpgsqlParameter("assets", assets) },
                },
            },
        };
        var quotes = new Dictionary<string, Quote>(assets.Length, StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
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
    /// <exception cref="HoldingsDataException">A sale exceeds the quantity held.</exception>
    private static async Task<int> StreamPositionsAsync(
        NpgsqlConnection connection,
        string[] assets,
        string? accountId,
        Action<Position, DateOnly>? onTransaction,
        Action<Position> onPositionEnd,
        CancellationToken cancellationToken)
    {
        // Only what the arithmetic needs travels: the type as a number, the units (buy/sell) or cash (dividend/fee)
        // in one column, and no transaction id; an oversell looks its id up afterwards.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT account_id, asset_id,
                   CASE type WHEN 'buy' THEN 0 WHEN 'sell' THEN 1 WHEN 'dividend' THEN 2 ELSE 3 END,
                   CASE WHEN type IN ('buy', 'sell') THEN quantity ELSE amount END,
                   COALESCE(price, 0), trade_date
            FROM fintrack.transactions
            WHERE asset_id = ANY(@assets) {(accountId is null ? string.Empty : "AND account_id = @account")}
            ORDER BY asset_id, account_id, trade_date, transaction_id
            """,
            connection);
        AddScope(command, assets, accountId);
        Position? position = null;
        var count = 0;
        (Position Position, DateOnly TradeDate, decimal Sold)? oversell = null;
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var account = reader.GetString(0);
                var asset = reader.GetString(1);
                var type = (TransactionType)reader.GetInt32(2);
                var unitsOrCash = reader.GetDecimal(3);
                var price = reader.GetDecimal(4);
                var tradeDate = reader.GetFieldValue<DateOnly>(5);
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
                if (!position.TryApply(type, unitsOrCash, price, unitsOrCash, tradeDate))
                {
                    oversell = (position, tradeDate, unitsOrCash);
                    break;
                }

                count++;
            }
        }

        if (oversell is { } bad)
        {
            throw await DescribeOversellAsync(connection, bad.Position, bad.TradeDate, bad.Sold, cancellationToken);
        }

        if (position is not null)
        {
            onPositionEnd(position);
        }

        return count;
    }

    /// <summary>The refused sale is the position's next transaction in the same order: look up its id.</summary>
    private static async Task<HoldingsDataException> DescribeOversellAsync(
        NpgsqlConnection connection, Position position, DateOnly tradeDate, decimal sold, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT transaction_id FROM fintrack.transactions
            WHERE asset_id = @asset AND account_id = @account
            ORDER BY trade_date, transaction_id
            OFFSET @ordinal LIMIT 1
            """,
            connection);
        command.Parameters.AddWithValue("asset", position.AssetId);
        command.Parameters.AddWithValue("account", position.AccountId);
        command.Parameters.AddWithValue("ordinal", (long)position.Transactions);
        var transactionId = await command.ExecuteScalarAsync(cancellationToken) as string ?? "(unknown)";
        return new HoldingsDataException(position.AccountId, position.AssetId, transactionId, tradeDate, position.Quantity, sold);
    }

    /// <summary>
    /// For each asset and each month from the batch's first to its last trade, the last close on or before the month's
    /// last day, if any.
    /// </summary>
    private static async Task<Dictionary<(string AssetId, DateOnly Month), DailyClose>> ReadMonthEndClosesAsync(
        NpgsqlConnection connection, string[] assets, string? accountId, CancellationToken cancellationToken)
    {
        // One backward index-only probe of the (asset_id, day) INCLUDE (close) primary key per asset and month.
        await using var command = new NpgsqlCommand(
            $"""
            WITH span AS (
                SELECT date_trunc('month', min(trade_date)) AS first_month, max(trade_date) AS last_day
                FROM fintrack.transactions
                WHERE asset_id = ANY(@assets) {(accountId is null ? string.Empty : "AND account_id = @account")})
            SELECT a.asset_id, m.month::date, c.day, c.close
            FROM span
            CROSS JOIN unnest(@assets) AS a(asset_id)
            CROSS JOIN generate_series(span.first_month, span.last_day, interval '1 month') AS m(month)
            CROSS JOIN LATERAL (
                SELECT h.day, h.close FROM fintrack.price_history h
                WHERE h.asset_id = a.asset_id AND h.day < (m.month + interval '1 month')::date
                ORDER BY h.day DESC
                LIMIT 1) AS c
            """,
            connection);
        AddScope(command, assets, accountId);
        var closes = new Dictionary<(string, DateOnly), DailyClose>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var assetId = reader.GetString(0);
            closes[(assetId, reader.GetFieldValue<DateOnly>(1))] =
                new DailyClose(assetId, reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3));
        }

        return closes;
    }

    /// <summary>
    /// Makes the stored rows of the batch equal <paramref name="rows"/>: reads their keys and fingerprints, deletes
    /// stale and changed rows, and COPYs new and changed ones into the table.
    /// </summary>
    /// <returns>Rows written plus rows deleted (0 when nothing changed).</returns>
    private static async Task<int> ReplaceAsync<TRow>(
        NpgsqlConnection connection, HoldingsTable table, IReadOnlyList<TRow> rows, string[] assets, string? accountId, CancellationToken cancellationToken)
        where TRow : IHoldingsRow
    {
        var stored = new Dictionary<RowKey, long>();
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT account_id, asset_id, {(table.Monthly ? "month" : "NULL::date")}, fingerprint FROM {table.Name}
            WHERE asset_id = ANY(@assets) {(accountId is null ? string.Empty : "AND account_id = @account")}
            """,
            connection))
        {
            AddScope(command, assets, accountId);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new RowKey(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? default : reader.GetFieldValue<DateOnly>(2));
                stored[key] = reader.GetInt64(3);
            }
        }

        var toWrite = new List<TRow>();
        var toDelete = new List<RowKey>();
        foreach (var row in rows)
        {
            if (!stored.Remove(row.Key, out var fingerprint))
            {
                toWrite.Add(row);
            }
            else if (fingerprint != row.Fingerprint)
            {
                toWrite.Add(row);
                toDelete.Add(row.Key);
            }
        }

        var stale = stored.Count;
        toDelete.AddRange(stored.Keys);
        if (toDelete.Count > 0)
        {
            await using var delete = new NpgsqlCommand(
                table.Monthly
                    ? $"""
                      DELETE FROM {table.Name} t USING unnest(@accounts, @assets, @months) AS d(account_id, asset_id, month)
                      WHERE t.account_id = d.account_id AND t.asset_id = d.asset_id AND t.month = d.month
                      """
                    : $"""
                      DELETE FROM {table.Name} t USING unnest(@accounts, @assets) AS d(account_id, asset_id)
                      WHERE t.account_id = d.account_id AND t.asset_id = d.asset_id
                      """,
                connection);
            delete.Parameters.AddWithValue("accounts", toDelete.Select(k => k.AccountId).ToArray());
            delete.Parameters.AddWithValue("assets", toDelete.Select(k => k.AssetId).ToArray());
            if (table.Monthly)
            {
                delete.Parameters.AddWithValue("months", toDelete.Select(k => k.Month).ToArray());
            }

            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (toWrite.Count > 0)
        {
            // Synchronous writes fill Npgsql's buffer without an async state machine per field; they only block
            // briefly when the buffer is flushed to the socket.
            await using var importer = await connection.BeginBinaryImportAsync(
                $"COPY {table.Name} ({table.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in toWrite)
            {
                importer.StartRow();
                row.Write(importer);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        return toWrite.Count + stale;
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

    [LoggerMessage(1, LogLevel.Debug,
        "Computed {What} of {Assets} assets (account {Account}) from {Transactions} transactions: {Rows} rows, {Written} written or deleted, in {ElapsedMilliseconds} ms")]
    private partial void LogComputed(string what, int assets, string account, int transactions, int rows, int written, long elapsedMilliseconds);

    /// <summary>A holdings table: its name, its COPY column list, and whether its key includes the month.</summary>
    private sealed record HoldingsTable(string Name, string Columns, bool Monthly);

    /// <summary>The primary key of a holdings row (<see cref="Month"/> is default for daily rows).</summary>
    private readonly record struct RowKey(string AccountId, string AssetId, DateOnly Month);

    private interface IHoldingsRow
    {
        RowKey Key { get; }

        long Fingerprint { get; }

        /// <summary>Writes the row's fields in the table's COPY column order.</summary>
        void Write(NpgsqlBinaryImporter importer);
    }

    private sealed record Quote(string Currency, decimal? Price, DateTime? AsOf);

    private sealed record HoldingRow(
        string AccountId, string AssetId, string Currency, decimal Quantity, decimal AverageCost, decimal CostBasis,
        decimal RealisedPnl, decimal Dividends, decimal Fees, decimal? Price, decimal? MarketValue, decimal? UnrealisedPnl,
        DateTime? AsOf, DateOnly LastTradeDate, int TransactionCount, long Fingerprint) : IHoldingsRow
    {
        public RowKey Key => new(AccountId, AssetId, default);

        public static HoldingRow Create(
            string accountId, string assetId, string currency, decimal quantity, decimal averageCost, decimal costBasis,
            decimal realisedPnl, decimal dividends, decimal fees, decimal? price, decimal? marketValue, decimal? unrealisedPnl,
            DateTime? asOf, DateOnly lastTradeDate, int transactionCount)
        {
            var fingerprint = FinTrack.Fingerprint.Start();
            fingerprint.Add(currency);
            fingerprint.Add(quantity);
            fingerprint.Add(averageCost);
            fingerprint.Add(costBasis);
            fingerprint.Add(realisedPnl);
            fingerprint.Add(dividends);
            fingerprint.Add(fees);
            fingerprint.Add(price);
            fingerprint.Add(marketValue);
            fingerprint.Add(unrealisedPnl);
            fingerprint.Add(asOf);
            fingerprint.Add(lastTradeDate);
            fingerprint.Add(transactionCount);
            return new HoldingRow(accountId, assetId, currency, quantity, averageCost, costBasis, realisedPnl, dividends, fees,
                price, marketValue, unrealisedPnl, asOf, lastTradeDate, transactionCount, fingerprint.Value);
        }

        public void Write(NpgsqlBinaryImporter importer)
        {
            importer.Write(AccountId, NpgsqlDbType.Text);
            importer.Write(AssetId, NpgsqlDbType.Text);
            importer.Write(Currency, NpgsqlDbType.Text);
            importer.Write(Quantity, NpgsqlDbType.Numeric);
            importer.Write(AverageCost, NpgsqlDbType.Numeric);
            importer.Write(CostBasis, NpgsqlDbType.Numeric);
            importer.Write(RealisedPnl, NpgsqlDbType.Numeric);
            importer.Write(Dividends, NpgsqlDbType.Numeric);
            importer.Write(Fees, NpgsqlDbType.Numeric);
            WriteNullable(importer, Price, NpgsqlDbType.Numeric);
            WriteNullable(importer, MarketValue, NpgsqlDbType.Numeric);
            WriteNullable(importer, UnrealisedPnl, NpgsqlDbType.Numeric);
            WriteNullable(importer, AsOf, NpgsqlDbType.TimestampTz);
            importer.Write(LastTradeDate, NpgsqlDbType.Date);
            importer.Write(TransactionCount, NpgsqlDbType.Integer);
            importer.Write(Fingerprint, NpgsqlDbType.Bigint);
        }
    }

    private sealed record MonthlyRow(
        string AccountId, string AssetId, DateOnly Month, string Currency, decimal Quantity, decimal AverageCost, decimal CostBasis,
        decimal RealisedPnl, decimal Dividends, decimal Fees, decimal? Price, DateOnly? PriceDate, string? PriceSource,
        decimal? MarketValue, decimal? UnrealisedPnl, int MonthTransactions, long Fingerprint) : IHoldingsRow
    {
        public RowKey Key => new(AccountId, AssetId, Month);

        public static MonthlyRow Create(
            string accountId, string assetId, DateOnly month, string currency, decimal quantity, decimal averageCost, decimal costBasis,
            decimal realisedPnl, decimal dividends, decimal fees, decimal? price, DateOnly? priceDate, string? priceSource,
            decimal? marketValue, decimal? unrealisedPnl, int monthTransactions)
        {
            var fingerprint = FinTrack.Fingerprint.Start();
            fingerprint.Add(currency);
            fingerprint.Add(quantity);
            fingerprint.Add(averageCost);
            fingerprint.Add(costBasis);
            fingerprint.Add(realisedPnl);
            fingerprint.Add(dividends);
            fingerprint.Add(fees);
            fingerprint.Add(price);
            fingerprint.Add(priceDate);
            fingerprint.Add(priceSource);
            fingerprint.Add(marketValue);
            fingerprint.Add(unrealisedPnl);
            fingerprint.Add(monthTransactions);
            return new MonthlyRow(accountId, assetId, month, currency, quantity, averageCost, costBasis, realisedPnl, dividends, fees,
                price, priceDate, priceSource, marketValue, unrealisedPnl, monthTransactions, fingerprint.Value);
        }

        public void Write(NpgsqlBinaryImporter importer)
        {
            importer.Write(AccountId, NpgsqlDbType.Text);
            importer.Write(AssetId, NpgsqlDbType.Text);
            importer.Write(Month, NpgsqlDbType.Date);
            importer.Write(Currency, NpgsqlDbType.Text);
            importer.Write(Quantity, NpgsqlDbType.Numeric);
            importer.Write(AverageCost, NpgsqlDbType.Numeric);
            importer.Write(CostBasis, NpgsqlDbType.Numeric);
            importer.Write(RealisedPnl, NpgsqlDbType.Numeric);
            importer.Write(Dividends, NpgsqlDbType.Numeric);
            importer.Write(Fees, NpgsqlDbType.Numeric);
            WriteNullable(importer, Price, NpgsqlDbType.Numeric);
            WriteNullable(importer, PriceDate, NpgsqlDbType.Date);
            WriteNullable(importer, PriceSource, NpgsqlDbType.Text);
            WriteNullable(importer, MarketValue, NpgsqlDbType.Numeric);
            WriteNullable(importer, UnrealisedPnl, NpgsqlDbType.Numeric);
            importer.Write(MonthTransactions, NpgsqlDbType.Integer);
            importer.Write(Fingerprint, NpgsqlDbType.Bigint);
        }
    }
}
