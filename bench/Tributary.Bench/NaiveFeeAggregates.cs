using Npgsql;
using NpgsqlTypes;

namespace Tributary.Bench;

/// <summary>
/// The baseline the <c>vestr-aggregates</c> benchmark compares against: what a straightforward implementation does.
/// For each product it selects the product's records, computes its daily and monthly summaries, totals and latest
/// fees in C#, deletes the product's rows and inserts the new ones one INSERT at a time, in autocommit. It writes to
/// its own tables (<c>bench_naive_*</c>, shaped like the store's), never to the store's.
/// </summary>
/// <remarks>
/// Its SQL is deliberately its own, not <see cref="Tributary.Storage.Vestr.VestrFeeStore"/>'s: it is the
/// straightforward implementation the store is measured against.
/// </remarks>
internal sealed class NaiveFeeAggregates(NpgsqlDataSource dataSource)
{
    public async Task CreateTablesAsync()
    {
        await using var command = dataSource.CreateCommand(
            """
            CREATE TABLE bench_naive_daily (LIKE vestr_fee_daily_summaries INCLUDING ALL);
            CREATE TABLE bench_naive_monthly (LIKE vestr_fee_monthly_summaries INCLUDING ALL);
            CREATE TABLE bench_naive_totals (LIKE vestr_fee_product_totals INCLUDING ALL);
            CREATE TABLE bench_naive_snapshot (LIKE fee_latest_snapshot INCLUDING ALL);
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every aggregate row of one product; returns the rows written.</summary>
    public async Task<int> ComputeAsync(NpgsqlConnection connection, string isin)
    {
        var records = new List<Record>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, booking_date, amount, currency, fee_type, product_name, outstanding_quantity
            FROM vestr_fee_records WHERE product_isin = @isin
            """, connection))
        {
            select.Parameters.AddWithValue("isin", isin);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                records.Add(new Record(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetDecimal(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDecimal(6)));
            }
        }

        foreach (var table in new[] { "bench_naive_daily", "bench_naive_monthly", "bench_naive_totals", "bench_naive_snapshot" })
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE product_isin = @isin", connection);
            delete.Parameters.AddWithValue("isin", isin);
            await delete.ExecuteNonQueryAsync();
        }

        if (records.Count == 0)
        {
            return 0;
        }

        // Latest = greatest (booking date, id); ids compare as the database's collation would for the ASCII ids the benchmark makes.
        records.Sort((a, b) => a.Day != b.Day ? a.Day.CompareTo(b.Day) : string.CompareOrdinal(a.Id, b.Id));
        var rows = 0;
        foreach (var day in records.GroupBy(r => (r.Day, r.Type, r.Currency)))
        {
            rows += await InsertAsync(connection,
                "INSERT INTO bench_naive_daily (day, product_isin, fee_type, currency, total_amount, record_count) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
                day.Key.Day, isin, day.Key.Type, day.Key.Currency, day.Sum(r => r.Amount), day.Count());
        }

        foreach (var month in records.GroupBy(r => (Month: new DateOnly(r.Day.Year, r.Day.Month, 1), r.Type, r.Currency)))
        {
            rows += await InsertAsync(connection,
                "INSERT INTO bench_naive_monthly (month, product_isin, fee_type, currency, total_amount, record_count) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
                month.Key.Month, isin, month.Key.Type, month.Key.Currency, month.Sum(r => r.Amount), month.Count());
        }

        var name = records.LastOrDefault(r => r.Name is not null)?.Name;
        foreach (var currency in records.GroupBy(r => r.Currency))
        {
            rows += await InsertAsync(connection,
                """
                INSERT INTO bench_naive_totals (product_isin, currency, product_name, total_amount, management_total, performance_total, custody_total,
                                                record_count, first_booking_date, last_booking_date)
                VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
                """,
                isin, currency.Key, name, currency.Sum(r => r.Amount), SumOf(currency, "MANAGEMENT"), SumOf(currency, "PERFORMANCE"),
                SumOf(currency, "CUSTODY"), currency.Count(), currency.Min(r => r.Day), currency.Max(r => r.Day));
        }

        var latest = records[^1];
        var quantity = records.LastOrDefault(r => r.Quantity is not null);
        var management = records.LastOrDefault(r => r.Type == "MANAGEMENT");
        var performance = records.LastOrDefault(r => r.Type == "PERFORMANCE");
        var custody = records.LastOrDefault(r => r.Type == "CUSTODY");
        rows += await InsertAsync(connection,
            """
            INSERT INTO bench_naive_snapshot (product_isin, product_name, management_fee_date, management_fee_amount, management_fee_currency,
                performance_fee_date, performance_fee_amount, performance_fee_currency, custody_fee_date, custody_fee_amount, custody_fee_currency,
                latest_fee_date, latest_fee_type, latest_fee_amount, latest_fee_currency, outstanding_quantity, outstanding_quantity_date)
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16)
            """,
            isin, name, management?.Day, management?.Amount, management?.Currency, performance?.Day, performance?.Amount, performance?.Currency,
            custody?.Day, custody?.Amount, custody?.Currency, latest.Day, latest.Type, latest.Amount, latest.Currency, quantity?.Quantity, quantity?.Day);
        return rows;
    }

    private static decimal SumOf(IEnumerable<Record> records, string type) => records.Where(r => r.Type == type).Sum(r => r.Amount);

    private static async Task<int> InsertAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var insert = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < values.Length; i++)
        {
            insert.Parameters.Add(values[i] switch
            {
                null => new NpgsqlParameter($"p{i}", DBNull.Value),
                DateOnly day => new NpgsqlParameter($"p{i}", NpgsqlDbType.Date) { Value = day },
                var value => new NpgsqlParameter($"p{i}", value),
            });
        }

        return await insert.ExecuteNonQueryAsync();
    }

    private sealed record Record(string Id, DateOnly Day, decimal Amount, string Currency, string Type, string? Name, decimal? Quantity);
}
