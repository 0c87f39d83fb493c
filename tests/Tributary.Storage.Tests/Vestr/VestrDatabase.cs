using Npgsql;
using Tributary.Storage.Vestr;

namespace Tributary.Storage.Tests.Vestr;

/// <summary>A migrated database with a <see cref="VestrFeeStore"/> and one started sync (<see cref="SyncId"/>).</summary>
internal sealed class VestrDatabase : IAsyncDisposable
{
    public static readonly Guid SyncId = Guid.Parse("5e3a8f4e-0000-4000-8000-000000000001");
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Each derived table's rows without <c>updated_at</c>, as text, in key order: for comparing whole tables.</summary>
    private static readonly string[] DerivedTables =
    [
        "SELECT day, product_isin, fee_type, currency, total_amount, record_count FROM vestr_fee_daily_summaries",
        "SELECT month, product_isin, fee_type, currency, total_amount, record_count FROM vestr_fee_monthly_summaries",
        "SELECT product_isin, currency, product_name, total_amount, management_total, performance_total, custody_total, record_count, " +
        "first_booking_date, last_booking_date FROM vestr_fee_product_totals",
        "SELECT product_isin, product_name, management_fee_date, management_fee_amount, management_fee_currency, performance_fee_date, " +
        "performance_fee_amount, performance_fee_currency, custody_fee_date, custody_fee_amount, custody_fee_currency, latest_fee_date, " +
        "latest_fee_type, latest_fee_amount, latest_fee_currency, outstanding_quantity, outstanding_quantity_date FROM fee_latest_snapshot",
    ];

    private VestrDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Store = new VestrFeeStore(dataSource);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public VestrFeeStore Store { get; }

    public static async Task<VestrDatabase> CreateAsync(string purpose)
    {
        var connectionString = await MigratedDatabase.CreateAsync(purpose);
        var database = new VestrDatabase(connectionString, NpgsqlDataSource.Create(connectionString));
        await database.Store.StartSyncAsync(SyncId, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), false, Now, CancellationToken.None);
        return database;
    }

    public static FeeRecordRow Fee(string id, DateOnly day, decimal amount, string isin = "CH0000000001", string type = FeeTypes.Management,
        string currency = "CHF", string? name = "Alpha AMC", decimal? quantity = null) =>
        new(id, day, amount, currency, type, isin, name, quantity);

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => MigratedDatabase.ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <summary>Every derived table, whole, as sorted text lines (one list per table).</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> DerivedRowsAsync()
    {
        var tables = new List<IReadOnlyList<string>>();
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var sql in DerivedTables)
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM ({sql}) t ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            tables.Add(rows);
        }

        return tables;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
