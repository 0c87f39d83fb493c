using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Tributary.Storage.Tests.TrueLayer;

public sealed class TrueLayerMigrationTests
{
    private static readonly string[] Tables =
    [
        "truelayer_accounts", "truelayer_auth_states", "truelayer_connections", "truelayer_enrichment_jobs",
        "truelayer_import_jobs", "truelayer_import_progress", "truelayer_transactions",
    ];

    [Fact]
    public async Task The_migration_applies_once_and_its_text_runs_again_without_error()
    {
        var connectionString = await MigratedDatabase.CreateEmptyAsync("truelayer_migration");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();
        // IF NOT EXISTS / OR REPLACE throughout: the file itself is safe to run over its own result.
        var sql = Migration.LoadEmbedded().Single(m => m.Name == "0030_truelayer.sql").Sql;
        await MigratedDatabase.ExecuteAsync(connectionString, sql);

        Assert.Contains("0030_truelayer.sql", first.Applied);
        Assert.Empty(second.Applied);
        Assert.Contains("0030_truelayer.sql", second.AlreadyApplied);
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations WHERE version = 30"));
        foreach (var table in Tables)
        {
            Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = @t AND table_type = 'BASE TABLE'", ("t", table)));
        }

        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM information_schema.views WHERE table_schema = 'public' AND table_name = 'v_import_job_status'"));
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'truelayer_accounts' AND column_name = 'last_synced_at_incremental'"));
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'truelayer_transactions' AND column_name = 'import_job_id' AND data_type = 'uuid'"));
    }
}
