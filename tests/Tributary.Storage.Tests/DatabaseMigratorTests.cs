using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Tributary.Storage.Tests;

public sealed class DatabaseMigratorTests
{
    private static readonly string[] OrleansMigrations =
    [
        "0001_orleans_membership.sql",
        "0002_orleans_grain_state.sql",
        "0003_orleans_reminders.sql",
    ];

    [Fact]
    public async Task A_second_run_applies_nothing_and_changes_no_rows()
    {
        var connectionString = await MigratedDatabase.CreateEmptyAsync("migrate twice");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        var first = await migrator.MigrateAsync();
        var queriesAfterFirst = await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleansquery");
        var second = await migrator.MigrateAsync();

        Assert.Equal(OrleansMigrations, first.Applied.Take(OrleansMigrations.Length));
        Assert.Empty(first.AlreadyApplied);
        Assert.Empty(second.Applied);
        Assert.Equal(first.Applied, second.AlreadyApplied);
        Assert.Equal(first.Applied.Count, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(queriesAfterFirst, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleansquery"));
        Assert.Equal(OrleansQueryCatalog.RequiredKeys.Count + 1, queriesAfterFirst);
    }

    [Fact]
    public async Task Migrators_started_together_record_every_migration_exactly_once()
    {
        var connectionString = await MigratedDatabase.CreateEmptyAsync("migrate concurrently");
        var dataSources = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(dataSources.Select(
                dataSource => Task.Run(() => new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync())));

            var applied = results.SelectMany(r => r.Applied).Order(StringComparer.Ordinal).ToList();
            var all = results[0].Applied.Concat(results[0].AlreadyApplied).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(all, applied);
            Assert.All(results, r => Assert.Equal(all, r.Applied.Concat(r.AlreadyApplied).Order(StringComparer.Ordinal)));
            Assert.Equal(all.Count, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(DISTINCT version) FROM schema_migrations"));
            Assert.Equal(all.Count, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_fails_with_a_sentence_naming_it()
    {
        var connectionString = await MigratedDatabase.CreateAsync("migration changed");
        // The recorded checksum no longer matching is exactly what an edited file looks like to the migrator.
        await MigratedDatabase.ExecuteAsync(connectionString, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var failure = await Assert.ThrowsAsync<MigrationChangedException>(
            () => new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync());

        Assert.StartsWith("Migration 0002_orleans_grain_state.sql was changed after it was applied on ", failure.Message, StringComparison.Ordinal);
        Assert.Equal("0002_orleans_grain_state.sql", failure.MigrationName);
    }

    [Fact]
    public void Checksums_ignore_line_ending_style()
    {
        Assert.Equal(Migration.ChecksumOf("SELECT 1;\nSELECT 2;\n"), Migration.ChecksumOf("SELECT 1;\r\nSELECT 2;\r\n"));
        Assert.NotEqual(Migration.ChecksumOf("SELECT 1;"), Migration.ChecksumOf("SELECT 2;"));
    }
}
