using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tributary.Storage.FinTrack;
using Tributary.Testing;

namespace Tributary.FinTrack.Tests;

/// <summary>A fresh, migrated database per test with the FinTrack services over it, and terse ways to seed and inspect rows.</summary>
internal sealed class FinTrackDatabase : IAsyncDisposable
{
    private FinTrackDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Calculator = new HoldingsCalculator(dataSource, NullLogger<HoldingsCalculator>.Instance);
        Importer = new PortfolioImporter(dataSource, NullLogger<PortfolioImporter>.Instance);
        MarketData = new MarketDataStore(dataSource);
        Reader = new HoldingsReader(dataSource);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public HoldingsCalculator Calculator { get; }

    public PortfolioImporter Importer { get; }

    public MarketDataStore MarketData { get; }

    public HoldingsReader Reader { get; }

    public static async Task<FinTrackDatabase> CreateAsync(string purpose)
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync(purpose);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new FinTrackDatabase(connectionString, dataSource);
    }

    public async Task AddAccountsAsync(params string[] accountIds)
    {
        foreach (var id in accountIds)
        {
            await ExecuteAsync("INSERT INTO fintrack.accounts (account_id, name, base_currency) VALUES (@id, @id, 'USD')", ("id", id));
        }
    }

    public async Task AddAssetsAsync(params string[] assetIds)
    {
        foreach (var id in assetIds)
        {
            await ExecuteAsync("INSERT INTO fintrack.assets (asset_id, symbol, name, asset_class, currency) VALUES (@id, @id, @id, 'equity', 'USD')", ("id", id));
        }
    }

    /// <summary>Stores one transaction as the importer would (amount = quantity * price for trades).</summary>
    public Task AddAsync(string id, string account, string asset, string type, decimal? quantity, decimal? price, string tradeDate, decimal? amount = null)
    {
        var transaction = new PortfolioTransaction(id, account, asset, Enum.Parse<TransactionType>(type, ignoreCase: true), quantity, price,
            amount ?? quantity!.Value * price!.Value, "USD", DateOnly.ParseExact(tradeDate, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        return ExecuteAsync(
            """
            INSERT INTO fintrack.transactions (transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date, content_hash)
            VALUES (@id, @account, @asset, @type, @quantity, @price, @amount, @currency, @date, @hash)
            """,
            ("id", transaction.TransactionId), ("account", transaction.AccountId), ("asset", transaction.AssetId), ("type", transaction.Type.ToWire()),
            ("quantity", (object?)transaction.Quantity ?? DBNull.Value), ("price", (object?)transaction.Price ?? DBNull.Value),
            ("amount", transaction.Amount), ("currency", transaction.Currency), ("date", transaction.TradeDate), ("hash", transaction.ContentHash()));
    }

    public Task SetLatestPriceAsync(string asset, decimal price, string asOf = "2025-01-31T16:00:00Z") =>
        MarketData.UpsertLatestPricesAsync(
            [new LatestPrice(asset, price, "USD", DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture), "test")], CancellationToken.None);

    public async Task<Holding> HoldingAsync(string account, string asset)
    {
        var holdings = await Reader.GetHoldingsAsync(account, CancellationToken.None);
        return Assert.Single(holdings, h => h.AssetId == asset);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of a table (or of an aliased subquery) as text, ordered: compares whole tables before and after.</summary>
    public Task<string> DumpAsync(string table, string orderBy) =>
        ScalarAsync<string>($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY {orderBy}), '') FROM (SELECT * FROM {table}) t");

    public static Stream Body(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
