using Npgsql;

namespace Tributary.Storage.Tests;

public sealed class OrleansQueryCatalogTests
{
    [Fact]
    public async Task A_migrated_database_holds_every_required_key()
    {
        var connectionString = await MigratedDatabase.CreateAsync("catalogue complete");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        await OrleansQueryCatalog.EnsureCompleteAsync(dataSource, CancellationToken.None);

        Assert.Equal(20, OrleansQueryCatalog.RequiredKeys.Count);
        Assert.Equal(OrleansQueryCatalog.RequiredKeys.Count, OrleansQueryCatalog.RequiredKeys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Missing_keys_are_named()
    {
        var connectionString = await MigratedDatabase.CreateAsync("catalogue missing keys");
        await MigratedDatabase.ExecuteAsync(
            connectionString,
            "DELETE FROM orleansquery WHERE querykey IN ('UpsertReminderRowKey', 'ReadRangeRows2Key')");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var failure = await Assert.ThrowsAsync<OrleansSchemaIncompleteException>(
            () => OrleansQueryCatalog.EnsureCompleteAsync(dataSource, CancellationToken.None));

        Assert.Equal(
            "The OrleansQuery table lacks query keys the Orleans providers need: UpsertReminderRowKey, ReadRangeRows2Key. " +
            "Run `silo migrate` or check the storage migrations.",
            failure.Message);
        Assert.Equal(["UpsertReminderRowKey", "ReadRangeRows2Key"], failure.MissingKeys);
    }

    [Fact]
    public async Task A_missing_table_is_reported_as_such()
    {
        var connectionString = await MigratedDatabase.CreateEmptyAsync("catalogue missing table");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var failure = await Assert.ThrowsAsync<OrleansSchemaIncompleteException>(
            () => OrleansQueryCatalog.EnsureCompleteAsync(dataSource, CancellationToken.None));

        Assert.StartsWith("The OrleansQuery table does not exist in database ", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("Run `silo migrate` or check the storage migrations.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(OrleansQueryCatalog.RequiredKeys, failure.MissingKeys);
    }
}
