namespace Tributary.Cluster.Tests.Infrastructure;

/// <summary>Silo processes plus the in-process gateway, on a fresh database of their own.</summary>
public sealed class RunningCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private readonly IReadOnlyDictionary<string, string> _extra;

    private RunningCluster(ClusterSettings settings, IReadOnlyDictionary<string, string>? extra)
    {
        Settings = settings;
        _extra = extra ?? new Dictionary<string, string>();
    }

    public ClusterSettings Settings { get; }
    public IReadOnlyList<SiloProcess> Silos => _silos;
    public GatewayHost Gateway { get; private set; } = null!;

    /// <summary>Starts <paramref name="siloCount"/> silos at once (they race for the migration lock) and the gateway.</summary>
    /// <param name="extra">More silo settings (configuration keys), e.g. job batch sizes or the market-data feed.</param>
    /// <param name="prepare">Runs against the new database before any silo starts (e.g. seeding data).</param>
    /// <param name="server">The PostgreSQL server to use; the shared one by default (a test that stops its database brings its own).</param>
    /// <param name="gatewaySettings">More gateway settings (configuration keys) over <see cref="GatewayHost"/>'s, e.g. <c>Webhooks:AllowPrivateTargets</c>.</param>
    public static async Task<RunningCluster> StartAsync(string purpose, int siloCount, IReadOnlyDictionary<string, string>? extra = null,
        Func<ClusterSettings, Task>? prepare = null, PostgresServer? server = null, IDictionary<string, string?>? gatewaySettings = null)
    {
        server ??= await PostgresServer.GetAsync();
        var cluster = new RunningCluster(ClusterSettings.Create(await server.CreateDatabaseAsync(purpose)), extra);
        try
        {
            if (prepare is not null)
            {
                await prepare(cluster.Settings);
            }

            for (var i = 1; i <= siloCount; i++)
            {
                cluster.AddSilo($"silo-{i}");
            }

            var gateway = GatewayHost.StartAsync(cluster.Settings.ConnectionString, cluster.Settings.ClusterId, cluster.Settings.ServiceId, gatewaySettings);
            // The gateway's client retries until a silo answers; fail fast, with its words, if a silo dies instead.
            while (!gateway.IsCompleted)
            {
                if (cluster._silos.FirstOrDefault(s => s.HasExited) is { } dead)
                {
                    throw new InvalidOperationException($"{dead.Name} exited with {dead.ExitCode} during start-up:\n{dead.Output}");
                }

                await Task.WhenAny(gateway, Task.Delay(200));
            }

            cluster.Gateway = await gateway;
            await cluster.WaitForActiveSilosAsync(siloCount);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo process with the cluster's settings (e.g. to replace a killed one).</summary>
    public SiloProcess AddSilo(string name)
    {
        var settings = Settings.ForSilo();
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        var silo = SiloProcess.Start(name, settings);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Waits until the gateway's view of membership has exactly <paramref name="count"/> active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count)
    {
        using var client = Gateway.CreateClient(GatewayHost.OperatorKey);
        await Eventually.TrueAsync(
            async () => (await client.GetFromJsonAsync<List<SiloView>>("/api/cluster/silos"))!.Count == count,
            $"the cluster reports {count} active silo(s); silo output:\n{string.Join("\n---\n", _silos.Select(s => s.Output))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }
}

/// <summary>The gateway's silo listing, as the tests read it.</summary>
public sealed record SiloView(string Address, string? Name, string Status);
