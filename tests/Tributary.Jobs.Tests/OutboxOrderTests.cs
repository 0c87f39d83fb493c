using System.Text.Json.Nodes;
using Npgsql;
using Tributary.Storage.Events;

namespace Tributary.Jobs.Tests;

/// <summary>Outbox sequences become visible in order, so a reader resuming after N never misses an event below N.</summary>
public sealed class OutboxOrderTests
{
    [Fact]
    public async Task A_second_append_waits_for_the_first_to_commit_so_sequences_commit_in_order()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync("outbox_order");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var outbox = new Outbox(dataSource);

        await using var first = await dataSource.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        var firstSequence = await Outbox.AppendAsync(first, firstTransaction, Event("first"), CancellationToken.None);

        await using var second = await dataSource.OpenConnectionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        var secondAppend = Outbox.AppendAsync(second, secondTransaction, Event("second"), CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await CountAsync(dataSource, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 1,
            "the second append waits on the outbox lock while the first is uncommitted");

        Assert.False(secondAppend.IsCompleted);
        Assert.Empty(await outbox.ReadAsync(0, 10, null, null, CancellationToken.None));
        await firstTransaction.CommitAsync();
        var secondSequence = await secondAppend;
        Assert.Equal([firstSequence], (await outbox.ReadAsync(0, 10, null, null, CancellationToken.None)).Select(e => e.Sequence));
        await secondTransaction.CommitAsync();

        Assert.True(secondSequence > firstSequence);
        Assert.Equal([firstSequence, secondSequence], (await outbox.ReadAsync(0, 10, null, null, CancellationToken.None)).Select(e => e.Sequence));
    }

    private static OutboxEvent Event(string name) =>
        new("tributary.test", "/tests", name, "test", DateTimeOffset.UnixEpoch, new JsonObject { ["name"] = name });

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
