using Npgsql;
using Tributary.Storage.Dossiers;
using Tributary.Testing;
using Xunit;

namespace Tributary.WealthX.Tests.Dossiers;

/// <summary>
/// The contract against <see cref="PostgresDossierStore"/> on another feed's table (<c>wealthx_dossiers_second</c>),
/// which the store creates like the default one on first use.
/// </summary>
public sealed class PostgresFeedTableDossierStoreTests : DossierStoreContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IDossierStore> CreateStoreAsync(TimeProvider time)
    {
        var server = await PostgresServer.GetAsync();
        _dataSource = NpgsqlDataSource.Create(await server.CreateMigratedDatabaseAsync("dossiers_feed"));
        return new PostgresDossierStore(_dataSource, time, DossierStores.NamesOf("second").Postgres);
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_feeds_table_has_the_default_tables_keys_and_indexes_and_keeps_its_dossiers_apart()
    {
        await Store.UpsertPageAsync([Dossier(7, "Seven", "UHNW")], CancellationToken.None);
        var defaultFeed = new PostgresDossierStore(_dataSource!, TimeProvider.System);

        Assert.Equal(0, await defaultFeed.CountAsync(CancellationToken.None));
        Assert.Null(await defaultFeed.GetAsync(7, CancellationToken.None));
        Assert.Equal(1, await Store.CountAsync(CancellationToken.None));
        await using var command = _dataSource!.CreateCommand(
            """
            SELECT string_agg(regexp_replace(indexdef, 'INDEX \S+ ON public\.\S+', 'INDEX ON t'), ' | ' ORDER BY regexp_replace(indexdef, 'INDEX \S+ ON public\.\S+', 'INDEX ON t'))
            FROM pg_indexes WHERE tablename = @table
            """);
        command.Parameters.AddWithValue("table", "wealthx_dossiers");
        var expected = (string?)await command.ExecuteScalarAsync();
        command.Parameters[0].Value = "wealthx_dossiers_second";
        Assert.Equal(expected, (string?)await command.ExecuteScalarAsync());
        Assert.Equal(new DuplicateCleanup(0, 0, UniqueIndexPresent: true), await Store.CleanupDuplicatesAsync(CancellationToken.None));
    }

    [Fact]
    public void Table_names_that_could_inject_sql_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresDossierStore(NpgsqlDataSource.Create("Host=127.0.0.1"), TimeProvider.System, "x; DROP TABLE y"));

        Assert.StartsWith("A dossier table name is 1..60 lower-case letters", error.Message, StringComparison.Ordinal);
    }
}
