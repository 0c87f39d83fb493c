using Npgsql;

namespace Tributary.Bench;

/// <summary>
/// The baseline the holdings benchmark compares against: what a straightforward implementation does. For each asset
/// it queries that asset's quote and transactions, computes the positions, deletes the asset's rows and inserts the
/// new ones one INSERT at a time (monthly: one price look-up per row as well), in autocommit.
/// It writes to its own tables (<c>bench_naive_holdings</c>, <c>bench_naive_holdings_monthly</c>), never to FinTrack's.
/// </summary>
/// <remarks>
/// Its SQL is deliberately its own, not <see cref="Tributary.Storage.FinTrack.HoldingsCalculator"/>'s: it is the
/// straightforward implementation the calculator is measured against.
/// </remarks>
internal sealed class NaiveHoldings(NpgsqlDataSource dataSource)
{
    public async Task CreateTablesAsync()
    {
        await using var command = dataSource.CreateCommand(
            """
            CREATE TABLE bench_naive_holdings (LIKE fintrack.holdings INCLUDING ALL);
            CREATE TABLE bench_naive_holdings_monthly (LIKE fintrack.holdings_monthly INCLUDING ALL);
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Daily holdings of one asset; returns the rows written.</summary>
    public async Task<int> ComputeDailyAsync(NpgsqlConnection connection, string assetId)
    {
        var (currency, price, asOf) = await QuoteAsync(connection, assetId);
        var positions = await PositionsAsync(connection, assetId, monthly: false);
        await using (var delete = new NpgsqlCommand("DELETE FROM bench_naive_holdings WHERE asset_id = @asset", connection))
        {
            delete.Parameters.AddWithValue("asset", assetId);
            await delete.ExecuteNonQueryAsync();
        }

        foreach (var p in positions)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO bench_naive_holdings (account_id, asset_id, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees,
                                                  price, market_value, unrealised_pnl, as_of, last_trade_date, transaction_count)
                VALUES (@account, @asset, @currency, @quantity, @average, @cost, @realised, @dividends, @fees, @price, @value, @unrealised, @as_of, @last, @count)
                """,
                connection);
            insert.Parameters.AddWithValue("account", p.AccountId);
            insert.Parameters.AddWithValue("asset", assetId);
            insert.Parameters.AddWithValue("currency", currency);
            AddMeasures(insert, p, price);
            insert.Parameters.AddWithValue("as_of", (object?)asOf ?? DBNull.Value);
            insert.Parameters.AddWithValue("last", p.LastTradeDate);
            insert.Parameters.AddWithValue("count", p.Transactions);
            await insert.ExecuteNonQueryAsync();
        }

        return positions.Count;
    }

    /// <summary>Month-end holdings of one asset; returns the rows written.</summary>
    public async Task<int> ComputeMonthlyAsync(NpgsqlConnection connection, string assetId)
    {
        var (currency, latest, _) = await QuoteAsync(connection, assetId);
        var snapshots = await PositionsAsync(connection, assetId, monthly: true);
        await using (var delete = new NpgsqlCommand("DELETE FROM bench_naive_holdings_monthly WHERE asset_id = @asset", connection))
        {
            delete.Parameters.AddWithValue("asset", assetId);
            await delete.ExecuteNonQueryAsync();
        }

        foreach (var s in snapshots)
        {
            decimal? price = latest;
            DateOnly? priceDate = null;
            var source = latest is null ? null : "latest";
            await using (var close = new NpgsqlCommand(
                "SELECT day, close FROM fintrack.price_history WHERE asset_id = @asset AND day <= @end ORDER BY day DESC LIMIT 1", connection))
            {
                close.Parameters.AddWithValue("asset", assetId);
                close.Parameters.AddWithValue("end", s.Month.AddMonths(1).AddDays(-1));
                await using var reader = await close.ExecuteReaderAsync();
                if (await reader.ReadAsync())
                {
                    (priceDate, price, source) = (reader.GetFieldValue<DateOnly>(0), reader.GetDecimal(1), "history");
                }
            }

            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO bench_naive_holdings_monthly (account_id, asset_id, month, currency, quantity, average_cost, cost_basis, realised_pnl,
                                                          dividends, fees, price, price_date, price_source, market_value, unrealised_pnl, month_transactions)
                VALUES (@account, @asset, @month, @currency, @quantity, @average, @cost, @realised, @dividends, @fees, @price, @price_date, @source,
                        @value, @unrealised, @count)
                """,
                connection);
            insert.Parameters.AddWithValue("account", s.AccountId);
            insert.Parameters.AddWithValue("asset", assetId);
            insert.Parameters.AddWithValue("month", s.Month);
            insert.Parameters.AddWithValue("currency", currency);
            AddMeasures(insert, s, price);
            insert.Parameters.AddWithValue("price_date", (object?)priceDate ?? DBNull.Value);
            insert.Parameters.AddWithValue("source", (object?)source ?? DBNull.Value);
            insert.Parameters.AddWithValue("count", s.Transactions);
            await insert.ExecuteNonQueryAsync();
        }

        return snapshots.Count;
    }

    private static void AddMeasures(NpgsqlCommand insert, Snapshot s, decimal? price)
    {
        insert.Parameters.AddWithValue("quantity", s.Quantity);
        insert.Parameters.AddWithValue("average", s.AverageCost);
        insert.Parameters.AddWithValue("cost", s.CostBasis);
        insert.Parameters.AddWithValue("realised", s.Realised);
        insert.Parameters.AddWithValue("dividends", s.Dividends);
        insert.Parameters.AddWithValue("fees", s.Fees);
        insert.Parameters.AddWithValue("price", (object?)price ?? DBNull.Value);
        insert.Parameters.AddWithValue("value", price is { } p ? s.Quantity * p : DBNull.Value);
        insert.Parameters.AddWithValue("unrealised", price is { } q ? s.Quantity * q - s.CostBasis : DBNull.Value);
    }

    private static async Task<(string Currency, decimal? Price, DateTime? AsOf)> QuoteAsync(NpgsqlConnection connection, string assetId)
    {
        await using var command = new NpgsqlCommand(
            "SELECT a.currency, p.price, p.as_of FROM fintrack.assets a LEFT JOIN fintrack.prices_latest p ON p.asset_id = a.asset_id WHERE a.asset_id = @asset",
            connection);
        command.Parameters.AddWithValue("asset", assetId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTime>(2));
    }

    /// <summary>
    /// The asset's positions (one per account), or with <paramref name="monthly"/> one snapshot per account and month
    /// with a transaction; average-cost method, with the stored rounding to 10 places.
    /// </summary>
    private static async Task<List<Snapshot>> PositionsAsync(NpgsqlConnection connection, string assetId, bool monthly)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT account_id, type, coalesce(quantity, 0), coalesce(price, 0), amount, trade_date
            FROM fintrack.transactions WHERE asset_id = @asset ORDER BY account_id, trade_date, transaction_id
            """,
            connection);
        command.Parameters.AddWithValue("asset", assetId);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<Snapshot>();
        Snapshot? current = null;
        while (await reader.ReadAsync())
        {
            var account = reader.GetString(0);
            var date = reader.GetFieldValue<DateOnly>(5);
            var month = new DateOnly(date.Year, date.Month, 1);
            if (current is null || current.AccountId != account)
            {
                if (current is not null)
                {
                    result.Add(current.Rounded());
                }

                current = new Snapshot { AccountId = account, Month = month };
            }
            else if (monthly && current.Month != month)
            {
                result.Add(current.Rounded());
                current = current.Next(month);
            }

            var (quantity, price, amount) = (reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4));
            switch (reader.GetString(1))
            {
                case "buy":
                    current.Quantity += quantity;
                    current.CostBasis += quantity * price;
                    current.AverageCost = current.CostBasis / current.Quantity;
                    break;
                case "sell":
                    if (quantity > current.Quantity)
                    {
                        throw new InvalidOperationException($"Oversell of {assetId} in {account}.");
                    }

                    current.Realised += quantity * (price - current.AverageCost);
                    current.Quantity -= quantity;
                    (current.CostBasis, current.AverageCost) = current.Quantity == 0
                        ? (0m, 0m)
                        : (current.CostBasis - quantity * current.AverageCost, current.AverageCost);
                    break;
                case "dividend":
                    current.Dividends += amount;
                    break;
                default:
                    current.Fees += amount;
                    current.Realised -= amount;
                    break;
            }

            current.Transactions++;
            current.LastTradeDate = date;
        }

        if (current is not null)
        {
            result.Add(current.Rounded());
        }

        return result;
    }

    private sealed class Snapshot
    {
        public required string AccountId { get; init; }

        public DateOnly Month { get; init; }

        public decimal Quantity { get; set; }

        public decimal AverageCost { get; set; }

        public decimal CostBasis { get; set; }

        public decimal Realised { get; set; }

        public decimal Dividends { get; set; }

        public decimal Fees { get; set; }

        public int Transactions { get; set; }

        public DateOnly LastTradeDate { get; set; }

        /// <summary>The next month's running state: measures carry over, the transaction count restarts.</summary>
        public Snapshot Next(DateOnly month) => new()
        {
            AccountId = AccountId, Month = month, Quantity = Quantity, AverageCost = AverageCost, CostBasis = CostBasis,
            Realised = Realised, Dividends = Dividends, Fees = Fees, LastTradeDate = LastTradeDate,
        };

        public Snapshot Rounded() => new()
        {
            AccountId = AccountId, Month = Month, Quantity = R(Quantity), AverageCost = R(AverageCost), CostBasis = R(CostBasis),
            Realised = R(Realised), Dividends = R(Dividends), Fees = R(Fees), Transactions = Transactions, LastTradeDate = LastTradeDate,
        };

        private static decimal R(decimal value) => decimal.Round(value, 10, MidpointRounding.AwayFromZero);
    }
}
