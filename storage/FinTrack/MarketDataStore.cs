using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// The market-data side of FinTrack: idempotent bulk upserts of quotes, daily history and index levels for the fetch
/// jobs, and the look-ups those jobs plan their batches with.
/// </summary>
/// <remarks>
/// Every upsert is binary COPY into a temporary table and one <c>INSERT ... ON CONFLICT DO UPDATE</c> that only
/// touches rows whose values change, in one transaction per call: a batch that is retried after a crash rewrites
/// nothing. A latest quote or level never replaces a newer one (a replayed old batch cannot move prices back).
/// Rows for assets or indices that are not stored fail the whole call with a foreign-key violation.
/// </remarks>
public sealed class MarketDataStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a store over the database <paramref name="dataSource"/> connects to.</summary>
    public MarketDataStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Inserts or updates latest quotes; a quote older than the stored one is ignored.</summary>
    /// <returns>The number of rows inserted or changed.</returns>
    public Task<int> UpsertLatestPricesAsync(IReadOnlyList<LatestPrice> prices, CancellationToken cancellationToken) =>
        UpsertAsync(
            prices,
            "fintrack.prices_latest",
            "asset_id, price, currency, as_of, source",
            "asset_id",
            "price = EXCLUDED.price, currency = EXCLUDED.currency, as_of = EXCLUDED.as_of, source = EXCLUDED.source",
            "EXCLUDED.as_of >= t.as_of AND (t.price, t.currency, t.as_of, t.source) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.currency, EXCLUDED.as_of, EXCLUDED.source)",
            (importer, price) =>
            {
                importer.Write(price.AssetId, NpgsqlDbType.Text);
                importer.Write(price.Price, NpgsqlDbType.Numeric);
                importer.Write(price.Currency, NpgsqlDbType.Text);
                importer.Write(price.AsOf.UtcDateTime, NpgsqlDbType.TimestampTz);
                importer.Write(price.Source, NpgsqlDbType.Text);
            },
            p => p.AssetId,
            cancellationToken);

    /// <summary>Inserts or corrects daily closes of assets.</summary>
    /// <returns>The number of rows inserted or changed.</returns>
    public Task<int> UpsertPriceHistoryAsync(IReadOnlyList<DailyClose> closes, CancellationToken cancellationToken) =>
        UpsertAsync(
            closes,
            "fintrack.price_history",
            "asset_id, day, close",
            "asset_id, day",
            "close = EXCLUDED.close",
            "t.close IS DISTINCT FROM EXCLUDED.close",
            (importer, close) =>
            {
                importer.Write(close.AssetId, NpgsqlDbType.Text);
                importer.Write(close.Day, NpgsqlDbType.Date);
                importer.Write(close.Close, NpgsqlDbType.Numeric);
            },
            c => (c.AssetId, c.Day),
            cancellationToken);

    /// <summary>Inserts or updates latest index levels; a level older than the stored one is ignored.</summary>
    /// <returns>The number of rows inserted or changed.</returns>
    public Task<int> UpsertIndexLevelsAsync(IReadOnlyList<IndexLevel> levels, CancellationToken cancellationToken) =>
        UpsertAsync(
            levels,
            "fintrack.index_values_latest",
            "symbol, level, as_of",
            "symbol",
            "level = EXCLUDED.level, as_of = EXCLUDED.as_of",
            "EXCLUDED.as_of >= t.as_of AND (t.level, t.as_of) IS DISTINCT FROM (EXCLUDED.level, EXCLUDED.as_of)",
            (importer, level) =>
            {
                importer.Write(level.Symbol, NpgsqlDbType.Text);
                importer.Write(level.Level, NpgsqlDbType.Numeric);
                importer.Write(level.AsOf.UtcDateTime, NpgsqlDbType.TimestampTz);
            },
            l => l.Symbol,
            cancellationToken);

    /// <summary>Inserts or corrects daily closing levels of indices.</summary>
    /// <returns>The number of rows inserted or changed.</returns>
    public Task<int> UpsertIndexHistoryAsync(IReadOnlyList<IndexClose> closes, CancellationToken cancellationToken) =>
        UpsertAsync(
            closes,
            "fintrack.index_history",
            "symbol, day, level",
            "symbol, day",
            "level = EXCLUDED.level",
            "t.level IS DISTINCT FROM EXCLUDED.level",
            (importer, close) =>
            {
                importer.Write(close.Symbol, NpgsqlDbType.Text);
                importer.Write(close.Day, NpgsqlDbType.Date);
                importer.Write(close.Level, NpgsqlDbType.Numeric);
            },
            c => (c.Symbol, c.Day),
            cancellationToken);

    /// <summary>Inserts index definitions that are not stored yet and updates the name and currency of those that are.</summary>
    /// <returns>The number of rows inserted or changed.</returns>
    public Task<int> UpsertIndicesAsync(IReadOnlyList<MarketIndex> indices, CancellationToken cancellationToken) =>
        UpsertAsync(
            indices,
            "fintrack.market_indices",
            "symbol, name, currency",
            "symbol",
            "name = EXCLUDED.name, currency = EXCLUDED.currency",
            "(t.name, t.currency) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.currency)",
            (importer, index) =>
            {
                importer.Write(index.Symbol, NpgsqlDbType.Text);
                importer.Write(index.Name, NpgsqlDbType.Text);
                importer.Write(index.Currency, NpgsqlDbType.Text);
            },
            i => i.Symbol,
            cancellationToken);

    /// <summary>Every asset id, in ordinal order: the work items of the per-asset jobs.</summary>
    public Task<IReadOnlyList<string>> ListAssetIdsAsync(CancellationToken cancellationToken) =>
        ReadStringsAsync("SELECT asset_id FROM fintrack.assets ORDER BY asset_id", null, cancellationToken);

    /// <summary>Every asset with the symbol and currency its quotes are fetched by, ordered by asset id.</summary>
    public async Task<IReadOnlyList<Asset>> ListAssetsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT asset_id, symbol, name, asset_class, currency FROM fintrack.assets ORDER BY asset_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var assets = new List<Asset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            assets.Add(new Asset(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return assets;
    }

    /// <summary>Every market index symbol, in ordinal order: the work items of the index jobs.</summary>
    public Task<IReadOnlyList<string>> ListIndexSymbolsAsync(CancellationToken cancellationToken) =>
        ReadStringsAsync("SELECT symbol FROM fintrack.market_indices ORDER BY symbol", null, cancellationToken);

    /// <summary>The assets <paramref name="accountId"/> has any transaction in, in ordinal order (empty for an unknown account).</summary>
    public Task<IReadOnlyList<string>> ListAssetsTouchedByAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return ReadStringsAsync(
            "SELECT DISTINCT asset_id FROM fintrack.transactions WHERE account_id = @key ORDER BY asset_id", accountId, cancellationToken);
    }

    /// <summary>
    /// The last day with a stored close for each of <paramref name="assetIds"/>; assets without history are absent.
    /// The historical job fetches from the day after.
    /// </summary>
    public Task<IReadOnlyDictionary<string, DateOnly>> GetLastPriceHistoryDaysAsync(IReadOnlyList<string> assetIds, CancellationToken cancellationToken) =>
        ReadLastDaysAsync("fintrack.price_history", "asset_id", assetIds, cancellationToken);

    /// <summary>The last day with a stored level for each of <paramref name="symbols"/>; indices without history are absent.</summary>
    public Task<IReadOnlyDictionary<string, DateOnly>> GetLastIndexHistoryDaysAsync(IReadOnlyList<string> symbols, CancellationToken cancellationToken) =>
        ReadLastDaysAsync("fintrack.index_history", "symbol", symbols, cancellationToken);

    private async Task<IReadOnlyDictionary<string, DateOnly>> ReadLastDaysAsync(
        string table, string key, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        // One backward index probe per key on the (key, day) primary key, instead of scanning whole histories.
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT k.key, last.day
            FROM unnest(@keys) AS k(key)
            CROSS JOIN LATERAL (SELECT h.day FROM {table} h WHERE h.{key} = k.key ORDER BY h.day DESC LIMIT 1) AS last
            """);
        command.Parameters.AddWithValue("keys", keys.Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            days[reader.GetString(0)] = reader.GetFieldValue<DateOnly>(1);
        }

        return days;
    }

    private async Task<IReadOnlyList<string>> ReadStringsAsync(string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        if (key is not null)
        {
            command.Parameters.AddWithValue("key", key);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task<int> UpsertAsync<T, TKey>(
        IReadOnlyList<T> rows,
        string table,
        string columns,
        string key,
        string set,
        string when,
        Action<NpgsqlBinaryImporter, T> writeRow,
        Func<T, TKey> keyOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        // ON CONFLICT cannot update one row twice in a statement: the last row per key in the input wins.
        var distinct = rows.GroupBy(keyOf).Select(g => g.Last()).ToList();
        var stage = "stage_" + table.Replace("fintrack.", string.Empty, StringComparison.Ordinal);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await StagingTable.CopyAsync(connection, stage, table, columns, distinct, writeRow, cancellationToken);
        var written = await StagingTable.ExecuteAsync(connection,
            $"""
            INSERT INTO {table} AS t ({columns}) SELECT {columns} FROM {stage}
            ON CONFLICT ({key}) DO UPDATE SET {set}
            WHERE {when}
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }
}
