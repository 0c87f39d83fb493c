using Npgsql;
using Tributary.Storage.Dossiers;
using Tributary.Testing;
using Xunit;

namespace Tributary.WealthX.Tests.Dossiers;

/// <summary>The contract against <see cref="PostgresDossierStore"/> on a fresh, migrated database per test.</summary>
public sealed class PostgresDossierStoreTests : DossierStoreContract
{
    private NpgsqlDataSource? _dataSource;
    private string? _connectionString;

    protected override async Task<IDossierStore> CreateStoreAsync(TimeProvider time)
    {
        var server = await PostgresServer.GetAsync();
        _connectionString = await server.CreateMigratedDatabaseAsync("dossiers");
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        return new PostgresDossierStore(_dataSource, time);
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <remarks>
    /// The primary key makes duplicates impossible, so the test drops it first: the state of a table restored
    /// without its constraints, which is what the cleanup exists for.
    /// </remarks>
    [Fact]
    public async Task Cleanup_removes_seeded_duplicates_keeping_the_newest_copy()
    {
        await Store.UpsertPageAsync(Enumerable.Range(1, 5).Select(i => Dossier(i, $"P {i}", "UHNW")).ToList(), CancellationToken.None);
        await ExecuteAsync(
            """
            ALTER TABLE wealthx_dossiers DROP CONSTRAINT wealthx_dossiers_pkey;
            -- an older copy of 1 and 2, and two newer copies of 3 (the newest says "newest")
            INSERT INTO wealthx_dossiers
            SELECT id, document, content_hash, category, 'old', first_name, last_name, last_modified,
                   created_at, updated_at, last_seen_at - interval '1 day'
            FROM wealthx_dossiers WHERE id IN (1, 2);
            INSERT INTO wealthx_dossiers
            SELECT id, document, content_hash, category, 'newer', first_name, last_name, last_modified,
                   created_at, updated_at, last_seen_at + interval '1 day'
            FROM wealthx_dossiers WHERE id = 3;
            INSERT INTO wealthx_dossiers
            SELECT id, document, content_hash, category, 'newest', first_name, last_name, last_modified,
                   created_at, updated_at, last_seen_at + interval '2 days'
            FROM wealthx_dossiers WHERE id = 3 AND full_name = 'P 3';
            """);

        var cleanup = await Store.CleanupDuplicatesAsync(CancellationToken.None);
        var again = await Store.CleanupDuplicatesAsync(CancellationToken.None);

        Assert.Equal(new DuplicateCleanup(3, 4, UniqueIndexPresent: false), cleanup);
        Assert.Equal(new DuplicateCleanup(0, 0, UniqueIndexPresent: false), again);
        Assert.Equal(5, await Store.CountAsync(CancellationToken.None));
        Assert.Equal(5L, await ScalarAsync("SELECT count(*) FROM wealthx_dossiers"));
        Assert.Equal("P 1", (await Store.GetAsync(1, CancellationToken.None))!.Document.FullName);
        Assert.Equal("P 2", (await Store.GetAsync(2, CancellationToken.None))!.Document.FullName);
        Assert.Equal("newest", (await Store.GetAsync(3, CancellationToken.None))!.Document.FullName);
    }

    [Fact]
    public async Task The_table_has_the_documented_indexes()
    {
        var indexes = await ScalarAsync(
            "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'wealthx_dossiers'");

        Assert.Equal(
            "wealthx_dossiers_category,wealthx_dossiers_created_at,wealthx_dossiers_full_name,wealthx_dossiers_last_name,wealthx_dossiers_pkey,wealthx_dossiers_updated_at",
            indexes);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
