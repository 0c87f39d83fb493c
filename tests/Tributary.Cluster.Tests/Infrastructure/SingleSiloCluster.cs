namespace Tributary.Cluster.Tests.Infrastructure;

/// <summary>One silo process and the gateway, shared by the gateway tests of a class.</summary>
public sealed class SingleSiloCluster : IAsyncLifetime
{
    public RunningCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RunningCluster.StartAsync("gateway", siloCount: 1);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
