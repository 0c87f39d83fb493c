using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Tributary.Storage.Tests.Vestr;

public sealed class VestrMigrationTests
{
    private static readonly string[] Tables =
    [
        "fee_latest_snapshot", "fee_sync_status", "vestr_fee_daily_summaries", "vestr_fee_monthly_summaries", "vestr_fee_product_totals",
        "vestr_fee_records",
    ];

    [Fact]
    public async Task The_migration_applies_once_through_the_migrator_and_its_text_runs_again_without_error()
    {
        var connectionString = await MigratedDatabase.CreateEmptyAsync("vestr_migration");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();
        var sql = Migration.LoadEmbedded().Single(m => m.Name == "0040_vestr.sql").Sql;
        await MigratedDatabase.ExecuteAsync(connectionString, sql);

        Assert.Contains("0040_vestr.sql", first.Applied);
        Assert.Contains("0041_vestr_aggregates_speed.sql", first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations WHERE version = 40"));
        foreach (var table in Tables)
        {
            Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = @t AND table_type = 'BASE TABLE'", ("t", table)));
        }

        Assert.Equal("numeric(20,4)", await MigratedDatabase.ScalarAsync<string>(connectionString,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'vestr_fee_records'::regclass AND attname = 'amount'"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => MigratedDatabase.ExecuteAsync(connectionString,
            "INSERT INTO vestr_fee_records (id, booking_date, amount, currency, fee_type, product_isin) VALUES ('x', '2024-01-01', 1, 'CHF', 'ENTRY', 'CH1')"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }
}
