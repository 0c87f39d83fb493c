using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Computes holdings (average-cost method, see <see cref="Position"/>) from all transactions of a batch of assets and
/// replaces the stored rows of those assets in one database transaction: <c>fintrack.holdings</c> (valued at the
/// latest quote) and <c>fintrack.holdings_monthly</c> (month-end snapshots).
/// </summary>
/// <remarks>
/// <para>
/// Each call reads the batch's quotes (and, monthly, its month-end closes), streams its transactions with one
/// ordered query (an index-only scan) through a <see cref="DailyHoldingsCalculation"/> or
/// <see cref="MonthlyHoldingsCalculation"/> (the arithmetic, in memory), and hands the rows to
/// <see cref="HoldingsTable"/>, which writes only what changed. A recompute over unchanged transactions and prices
/// therefore writes nothing and leaves identical rows: the job may rerun a batch after a crash at no cost.
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
    public Task<int> ComputeHoldingsAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken) =>
        ComputeAsync<DailyHoldingRow>("holdings", DailyLockClass, assetIds, accountId,
            (_, _, quotes, _) => Task.FromResult<HoldingsCalculation<DailyHoldingRow>>(new DailyHoldingsCalculation(quotes)),
            cancellationToken);

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
    public Task<int> ComputeMonthlyHoldingsAsync(IReadOnlyList<string> assetIds, string? accountId, CancellationToken cancellationToken) =>
        ComputeAsync<MonthlyHoldingRow>("monthly holdings", MonthlyLockClass, assetIds, accountId,
            async (connection, scope, quotes, token) =>
                new MonthlyHoldingsCalculation(quotes, await ReadMonthEndClosesAsync(connection, scope, token)),
            cancellationToken);

    /// <summary>
    /// One computation: lock the scope's assets, read their quotes, stream the transactions through the calculation
    /// <paramref name="start"/> returns, replace the table's rows, commit.
    /// </summary>
    private async Task<int> ComputeAsync<TRow>(
        string what,
        int lockClass,
        IReadOnlyList<string> assetIds,
        string? accountId,
        Func<NpgsqlConnection, HoldingsScope, IReadOnlyDictionary<string, AssetQuote>, CancellationToken, Task<HoldingsCalculation<TRow>>> start,
        CancellationToken cancellationToken)
        where TRow : IHoldingsRow
    {
        var scope = HoldingsScope.Of(assetIds, accountId);
        if (scope.Assets.Length == 0)
        {
            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var quotes = await LockAndReadQuotesAsync(connection, lockClass, scope, cancellationToken);
        var calculation = await start(connection, scope, quotes, cancellationToken);
        var rows = await CalculateAsync(connection, scope, calculation, cancellationToken);
        var written = await HoldingsTable.ReplaceAsync(connection, scope, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogComputed(what, scope.Assets.Length, scope.AccountId ?? "all", calculation.Transactions, rows.Count, written, stopwatch.ElapsedMilliseconds);
        return rows.Count;
    }

    /// <summary>
    /// Takes the per-asset locks, then reads the currency and latest quote of every requested asset that exists.
    /// </summary>
    private static async Task<Dictionary<string, AssetQuote>> LockAndReadQuotesAsync(
        NpgsqlConnection connection, int lockClass, HoldingsScope scope, CancellationToken cancellationToken)
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
                    Parameters = { new NpgsqlParameter("class", lockClass), new NpgsqlParameter("assets", scope.Assets) },
                },
                new NpgsqlBatchCommand(
                    """
                    SELECT a.asset_id, a.currency, p.price, p.as_of
                    FROM fintrack.assets a LEFT JOIN fintrack.prices_latest p ON p.asset_id = a.asset_id
                    WHERE a.asset_id = ANY(@assets)
                    """)
                {
                    Parameters = { new NpgsqlParameter("assets", scope.Assets) },
                },
            },
        };
        var quotes = new Dictionary<string, AssetQuote>(scope.Assets.Length, StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            quotes[reader.GetString(0)] = new AssetQuote(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3));
        }

        return quotes;
    }

    /// <summary>
    /// Streams the transactions of the scope in (asset, account, trade date, id) order through
    /// <paramref name="calculation"/> and returns its rows.
    /// </summary>
    /// <exception cref="HoldingsDataException">A sale exceeds the quantity held.</exception>
    private static async Task<IReadOnlyList<TRow>> CalculateAsync<TRow>(
        NpgsqlConnection connection, HoldingsScope scope, HoldingsCalculation<TRow> calculation, CancellationToken cancellationToken)
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
            WHERE asset_id = ANY(@assets) {scope.AccountFilter}
            ORDER BY asset_id, account_id, trade_date, transaction_id
            """,
            connection);
        scope.AddParameters(command);
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!calculation.TryAdd(
                        reader.GetString(0),
                        reader.GetString(1),
                        (TransactionType)reader.GetInt32(2),
                        reader.GetDecimal(3),
                        reader.GetDecimal(4),
                        reader.GetFieldValue<DateOnly>(5)))
                {
                    break;
                }
            }
        }

        if (calculation.Refused is { } refused)
        {
            throw await DescribeRefusedSaleAsync(connection, refused, cancellationToken);
        }

        return calculation.Complete();
    }

    /// <summary>The refused sale is the position's next transaction in the same order: look up its id.</summary>
    private static async Task<HoldingsDataException> DescribeRefusedSaleAsync(
        NpgsqlConnection connection, RefusedSale sale, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT transaction_id FROM fintrack.transactions
            WHERE asset_id = @asset AND account_id = @account
            ORDER BY trade_date, transaction_id
            OFFSET @ordinal LIMIT 1
            """,
            connection);
        command.Parameters.AddWithValue("asset", sale.AssetId);
        command.Parameters.AddWithValue("account", sale.AccountId);
        command.Parameters.AddWithValue("ordinal", (long)sale.Ordinal);
        var transactionId = await command.ExecuteScalarAsync(cancellationToken) as string ?? "(unknown)";
        return new HoldingsDataException(sale.AccountId, sale.AssetId, transactionId, sale.TradeDate, sale.Held, sale.Sold);
    }

    /// <summary>
    /// For each asset and each month from the batch's first to its last trade, the last close on or before the month's
    /// last day, if any.
    /// </summary>
    private static async Task<Dictionary<(string AssetId, DateOnly Month), DailyClose>> ReadMonthEndClosesAsync(
        NpgsqlConnection connection, HoldingsScope scope, CancellationToken cancellationToken)
    {
        // One backward index-only probe of the (asset_id, day) INCLUDE (close) primary key per asset and month.
        await using var command = new NpgsqlCommand(
            $"""
            WITH span AS (
                SELECT date_trunc('month', min(trade_date)) AS first_month, max(trade_date) AS last_day
                FROM fintrack.transactions
                WHERE asset_id = ANY(@assets) {scope.AccountFilter})
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
        scope.AddParameters(command);
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

    [LoggerMessage(1, LogLevel.Debug,
        "Computed {What} of {Assets} assets (account {Account}) from {Transactions} transactions: {Rows} rows, {Written} written or deleted, in {ElapsedMilliseconds} ms")]
    private partial void LogComputed(string what, int assets, string account, int transactions, int rows, int written, long elapsedMilliseconds);
}
