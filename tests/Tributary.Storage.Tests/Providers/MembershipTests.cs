using Tributary.Testing;

namespace Tributary.Storage.Tests.Providers;

/// <summary>Silos joining and leaving a cluster through our membership table.</summary>
public sealed class MembershipTests
{
    private static readonly int[] BothActive = [(int)SiloStatus.Active, (int)SiloStatus.Active];
    private static readonly int[] OneActiveOneDead = [(int)SiloStatus.Active, (int)SiloStatus.Dead];

    [Fact]
    public async Task Two_silos_join_through_the_table_and_the_survivor_serves_state_when_one_stops()
    {
        var connectionString = await MigratedDatabase.CreateAsync("membership cluster");
        var serviceId = $"members-{Guid.NewGuid():N}";
        await using var cluster = await TributaryTestCluster.StartAsync(
            "membership cluster", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId).WithSilos(2).WithAdoNetMembership());
        var clusterId = cluster.ClusterId;
        var management = cluster.Client.GetGrain<IManagementGrain>(0);

        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "both silos are active");
        Assert.Equal(BothActive, await StatusesAsync(connectionString, clusterId));

        var notes = Enumerable.Range(0, 24).Select(i => cluster.Client.GetGrain<INoteGrain>($"note:{i}")).ToList();
        foreach (var (note, i) in notes.Select((n, i) => (n, i)))
        {
            await note.SetAsync($"text {i}");
        }

        var secondary = cluster.Cluster.Silos[1];
        var stopped = secondary.SiloAddress;
        var hosts = await Task.WhenAll(notes.Select(n => n.GetHostAsync()));
        Assert.Contains(stopped.ToString(), hosts);

        await cluster.Cluster.StopSiloAsync(secondary);

        var row = await MigratedDatabase.ScalarAsync<int>(
            connectionString,
            "SELECT status FROM orleans_membership_member WHERE deployment_id = @cluster AND port = @port AND generation = @generation",
            ("cluster", clusterId), ("port", stopped.Endpoint.Port), ("generation", stopped.Generation));
        Assert.Equal((int)SiloStatus.Dead, row);
        Assert.Equal(OneActiveOneDead, await StatusesAsync(connectionString, clusterId));
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 1, "only the surviving silo is active");

        var survivor = Assert.Single(cluster.Cluster.GetActiveSilos()).SiloAddress.ToString();
        var texts = await Task.WhenAll(notes.Select(n => n.GetAsync()));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"text {i}"), texts);
        var hostsAfter = await Task.WhenAll(notes.Select(n => n.GetHostAsync()));
        Assert.All(hostsAfter, host => Assert.Equal(survivor, host));
    }

    private static async Task<int[]> StatusesAsync(string connectionString, string clusterId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT status FROM orleans_membership_member WHERE deployment_id = @cluster ORDER BY status", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        var statuses = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return [.. statuses];
    }
}
