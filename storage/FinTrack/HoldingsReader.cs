using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>Reads the holdings the <see cref="HoldingsCalculator"/> wrote, for the gateway and for tests.</summary>
public sealed class HoldingsReader
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a reader over the database <paramref name="dataSource"/> connects to.</summary>
    public HoldingsReader(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>True when <paramref name="accountId"/> is a stored account (so "no holdings" can be told from "no such account").</summary>
    public async Task<bool> AccountExistsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM fintrack.accounts WHERE account_id = @id)");
        command.Parameters.AddWithValue("id", accountId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Current holdings of one account, or of every account when <paramref name="accountId"/> is null; ordered by account, then asset.</summary>
    public async Task<IReadOnlyList<Holding>> GetHoldingsAsync(string? accountId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT account_id, asset_id, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees,
                   price, market_value, unrealised_pnl, as_of, last_trade_date, transaction_count
            FROM fintrack.holdings
            WHERE @account::text IS NULL OR account_id = @account
            ORDER BY account_id, asset_id
            """);
        command.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = (object?)accountId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var holdings = new List<Holding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            holdings.Add(new Holding(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetDecimal(3),
                reader.GetDecimal(4),
                reader.GetDecimal(5),
                reader.GetDecimal(6),
                reader.GetDecimal(7),
                reader.GetDecimal(8),
                NullableDecimal(reader, 9),
                NullableDecimal(reader, 10),
                NullableDecimal(reader, 11),
                reader.IsDBNull(12) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(12), TimeSpan.Zero),
                reader.GetFieldValue<DateOnly>(13),
                reader.GetInt32(14)));
        }

        return holdings;
    }

    /// <summary>
    /// Month-end snapshots of one account (or every account when <paramref name="accountId"/> is null), of one month
    /// (any day of it; null for every month); ordered by account, asset, month. Only months in which the account
    /// traded the asset have a row (see <see cref="HoldingsCalculator.ComputeMonthlyHoldingsAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<MonthlyHolding>> GetMonthlyHoldingsAsync(string? accountId, DateOnly? month, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT account_id, asset_id, month, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees,
                   price, price_date, price_source, market_value, unrealised_pnl, month_transactions
            FROM fintrack.holdings_monthly
            WHERE (@account::text IS NULL OR account_id = @account) AND (@month::date IS NULL OR month = @month)
            ORDER BY account_id, asset_id, month
            """);
        command.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = (object?)accountId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("month", NpgsqlDbType.Date)
        {
            Value = month is { } m ? new DateOnly(m.Year, m.Month, 1) : DBNull.Value,
        });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var holdings = new List<MonthlyHolding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            holdings.Add(new MonthlyHolding(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateOnly>(2),
                reader.GetString(3),
                reader.GetDecimal(4),
                reader.GetDecimal(5),
                reader.GetDecimal(6),
                reader.GetDecimal(7),
                reader.GetDecimal(8),
                reader.GetDecimal(9),
                NullableDecimal(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateOnly>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                NullableDecimal(reader, 13),
                NullableDecimal(reader, 14),
                reader.GetInt32(15)));
        }

        return holdings;
    }

    private static decimal? NullableDecimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
