using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Tributary.Silo;
using Tributary.Testing;

namespace Tributary.WealthX.Tests.Pull;

/// <summary>
/// A TestingHost cluster wired like production (<see cref="TributarySilo.AddTributary"/> on a migrated PostgreSQL
/// database) with the WealthX feed <c>default</c> configured and a fake clock, so the tests can call the feed's
/// <see cref="IWealthXPullGrain"/> as the job runtime would.
/// </summary>
/// <remarks>
/// Nothing calls WealthX: the base URL points at the discard port and the feed's schedule is disabled, so the
/// grain's cursor moves only by the tests' own calls.
/// </remarks>
public sealed class WealthXPullTestCluster : IAsyncDisposable
{
    /// <summary>Where the fake clock starts: 1 May 2026, 22:00 UTC (two hours before a day boundary).</summary>
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 22, 0, 0, TimeSpan.Zero);

    private const string ConnectionStringKey = "Database:ConnectionString";
    private const string ContextKey = "Test:Context";
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    private readonly string _contextId;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private WealthXPullTestCluster(TestCluster cluster, string connectionString, string contextId, FakeTimeProvider time, IReadOnlyDictionary<string, string> settings)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        _contextId = contextId;
        Time = time;
        _settings = settings;
    }

    public TestCluster Cluster { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Time { get; }

    /// <summary>The pull grain of the feed <c>default</c>.</summary>
    public IWealthXPullGrain Pull => Cluster.Client.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey(WealthXFeed.Default));

    /// <summary>Creates a migrated database and starts a cluster on it.</summary>
    /// <param name="settings">More silo settings, e.g. <c>WealthX:SessionSize</c>.</param>
    public static async Task<WealthXPullTestCluster> StartAsync(string purpose, IReadOnlyDictionary<string, string>? settings = null)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync(purpose);

        return await StartAsync(connectionString, $"wealthx-pull-{Guid.NewGuid():N}", new FakeTimeProvider(Start), settings ?? new Dictionary<string, string>());
    }

    /// <summary>A new cluster on the same database, service id, clock and settings: a restart of the whole service.</summary>
    public async Task<WealthXPullTestCluster> RestartAsync()
    {
        var serviceId = Cluster.Options.ServiceId;
        await DisposeAsync();
        return await StartAsync(ConnectionString, serviceId, Time, _settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (Clocks.TryRemove(_contextId, out _))
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    private static async Task<WealthXPullTestCluster> StartAsync(
        string connectionString, string serviceId, FakeTimeProvider time, IReadOnlyDictionary<string, string> settings)
    {
        var contextId = Guid.NewGuid().ToString("N");
        Clocks[contextId] = time;
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = $"wealthx-pull-{Guid.NewGuid():N}";
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.Properties[ContextKey] = contextId;
        builder.Properties["WealthX:BaseUrl"] = "http://127.0.0.1:9/wealthx/rest/v1/";
        builder.Properties["WealthX:Username"] = "pull-test";
        builder.Properties["WealthX:Password"] = "pull-test-password";
        builder.Properties["Jobs:wealthx_default:Schedule:Cron"] = "0 0 1 1 *";
        builder.Properties["Jobs:wealthx_default:Schedule:Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            Clocks.TryRemove(contextId, out _);
            await cluster.DisposeAsync();
            throw;
        }

        return new WealthXPullTestCluster(cluster, connectionString, contextId, time, settings);
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            // Before AddTributary, whose TryAdd of the system clock then leaves the fake one in place.
            siloBuilder.Services.AddSingleton<TimeProvider>(Clocks[configuration[ContextKey]!]);
            siloBuilder.AddTributary(configuration, configuration[ConnectionStringKey]!);
        }
    }
}
