using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Tributary.Testing;

namespace Tributary.Storage.Tests.Providers;

/// <summary>Grain state through the Orleans ADO.NET storage provider on our schema.</summary>
public sealed class GrainStateTests
{
    [Fact]
    public async Task State_written_before_the_cluster_stops_is_read_back_by_a_new_cluster()
    {
        var connectionString = await MigratedDatabase.CreateAsync("state restart");
        var serviceId = $"state-{Guid.NewGuid():N}";

        await using (var first = await TributaryTestCluster.StartAsync("state restart", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId)))
        {
            await first.Client.GetGrain<INoteGrain>("note:kept").SetAsync("written before the restart");
            await first.Cluster.StopAllSilosAsync();
        }

        await using var second = await TributaryTestCluster.StartAsync("state restart", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId));
        Assert.Equal("written before the restart", await second.Client.GetGrain<INoteGrain>("note:kept").GetAsync());
        Assert.Equal(1, await MigratedDatabase.ScalarAsync<int>(
            connectionString,
            "SELECT version FROM orleans_grain_state WHERE service_id = @service AND state_name = 'note' AND grain_id_extension = 'note:kept'",
            ("service", serviceId)));
    }

    [Fact]
    public async Task Stale_writes_are_rejected_and_clearing_keeps_the_row_or_deletes_it_as_configured()
    {
        var connectionString = await MigratedDatabase.CreateAsync("state concurrency");
        var serviceId = $"state-{Guid.NewGuid():N}";
        await using var cluster = await TributaryTestCluster.StartAsync("state concurrency", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId));

        // Two writers of one grain's state, straight through the silo's provider: the second holds a stale ETag.
        var storage = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(TestStorage.StorageName);
        var grainId = GrainId.Create("note", "note:contended");
        var written = new NoteState { Text = "first" };
        var writer = new GrainState<NoteState>(written);
        await storage.WriteStateAsync(NoteGrain.StateName, grainId, writer);
        Assert.Equal("1", writer.ETag);

        var latecomer = new GrainState<NoteState>(new NoteState { Text = "lost" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(NoteGrain.StateName, grainId, latecomer));

        var read = new NoteState();
        var reader = new GrainState<NoteState>(read);
        await storage.ReadStateAsync(NoteGrain.StateName, grainId, reader);
        Assert.Equal("1", reader.ETag);
        written.Text = "second";
        await storage.WriteStateAsync(NoteGrain.StateName, grainId, writer);
        reader.State = new NoteState { Text = "stale" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(NoteGrain.StateName, grainId, reader));

        var check = new GrainState<NoteState>(new NoteState());
        await storage.ReadStateAsync(NoteGrain.StateName, grainId, check);
        Assert.Equal("second", check.State?.Text);
        Assert.Equal("2", check.ETag);
        Assert.True(check.RecordExists);

        // Clear keeps the row: payload NULL, version moved on, and later writes continue from there.
        var kept = cluster.Client.GetGrain<INoteGrain>("note:cleared");
        await kept.SetAsync("to be cleared");
        await kept.ClearAsync();
        Assert.Null(await kept.GetAsync());
        Assert.Equal((2, true), await RowAsync(connectionString, serviceId, "note:cleared"));
        await kept.SetAsync("after the clear");
        Assert.Equal((3, false), await RowAsync(connectionString, serviceId, "note:cleared"));

        // With DeleteStateOnClear the row goes, and the next write starts again at version 1.
        var deleted = cluster.Client.GetGrain<IDeletingNoteGrain>("note:deleted");
        await deleted.SetAsync("to be deleted");
        await deleted.ClearAsync();
        Assert.Null(await deleted.GetAsync());
        Assert.Null(await RowAsync(connectionString, serviceId, "note:deleted"));
        await deleted.SetAsync("after the delete");
        Assert.Equal((1, false), await RowAsync(connectionString, serviceId, "note:deleted"));
    }

    private static async Task<(int Version, bool PayloadIsNull)?> RowAsync(string connectionString, string serviceId, string key)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT version, payload IS NULL FROM orleans_grain_state WHERE service_id = @service AND grain_id_extension = @key",
            connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var row = (reader.GetInt32(0), reader.GetBoolean(1));
        Assert.False(await reader.ReadAsync());
        return row;
    }
}
