using Tributary.Testing;
using Xunit;

namespace Tributary.WealthX.Tests.Pull;

/// <summary>
/// One cluster with the default settings (SessionSize 14000, ApiBatchSize 500) for a test class: there is one pull
/// grain per feed, so each test starts from <see cref="FreshPullAsync"/>.
/// </summary>
public sealed class WealthXPullClusterFixture : IAsyncLifetime
{
    private TributaryTestCluster? _cluster;

    public TributaryTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The feed's pull, reset to index 1 with no session and no counters.</summary>
    public async Task<IWealthXPullGrain> FreshPullAsync()
    {
        var pull = Cluster.Pull();
        await pull.Reset(null);
        return pull;
    }

    public async Task InitializeAsync() => _cluster = await TributaryTestCluster.StartAsync("wealthx pull grain", o => o.WithWealthXPull());

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
