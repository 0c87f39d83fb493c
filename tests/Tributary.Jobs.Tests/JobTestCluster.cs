using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tributary.Connectors.MarketData;
using Tributary.Silo;

namespace Tributary.Jobs.Tests;

/// <summary>
/// A TestingHost cluster wired exactly like production (<see cref="TributarySilo.AddTributary"/>) on a fresh
/// migrated database, plus the test jobs of this project.
/// </summary>
public sealed class JobTestCluster : IAsyncDisposable
{
    private const string ConnectionStringKey = "Database:ConnectionString";

    private JobTestCluster(TestCluster cluster, string connectionString, GatewayHost? gateway)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        Gateway = gateway;
    }

    public TestCluster Cluster { get; }

    /// <summary>The real gateway in front of the cluster, when asked for.</summary>
    public GatewayHost? Gateway { get; }
    public string ConnectionString { get; }
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Fake time shared by the silos when <c>fakeTime</c> was asked for.</summary>
    public static FakeTimeProvider? FakeTime { get; private set; }

    /// <param name="gateway">Join through our membership table (as production does) and host the gateway in front.</param>
    public static async Task<JobTestCluster> StartAsync(string purpose, Dictionary<string, string>? settings = null, bool fakeTime = false, bool gateway = false, short silos = 1)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync(purpose);
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await TestJobs.CreateTablesAsync(dataSource);
        }

        FakeTime = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)) : null;
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = $"jobs-{Guid.NewGuid():N}";
        builder.Options.ClusterId = $"jobs-{Guid.NewGuid():N}";
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.Properties["Silo:MinimumReminderPeriod"] = "00:00:01";
        builder.Properties["JobRuntime:WatchdogPeriod"] = "00:00:01";
        builder.Properties["Jobs:test_counting:RetryBaseDelay"] = "00:00:00.010";
        builder.Properties["Jobs:test_counting:MaxAttempts"] = "2";
        foreach (var (key, value) in settings ?? [])
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<Configurator>();
        if (gateway)
        {
            builder.Options.UseTestClusterMembership = false;
            // The gateway is a separate Orleans client: it needs real sockets, not TestingHost's in-memory transport.
            builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
            builder.AddClientBuilderConfigurator<AdoNetClient>();
        }

        var cluster = builder.Build();
        GatewayHost? host = null;
        try
        {
            await cluster.DeployAsync();
            if (gateway)
            {
                host = await GatewayHost.StartAsync(connectionString, builder.Options.ClusterId, builder.Options.ServiceId);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new JobTestCluster(cluster, connectionString, host);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class AdoNetClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = TributarySilo.Invariant;
                options.ConnectionString = configuration[ConnectionStringKey];
            });
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            siloBuilder.AddTributary(configuration, configuration[ConnectionStringKey]!);
            siloBuilder.Services.AddJob<CountingJob>();
            siloBuilder.Services.AddJob<GatedJob>();
            siloBuilder.Services.AddJob<CursorJob>();
            siloBuilder.Services.AddJob<SteppedJob>();
            if (!string.IsNullOrEmpty(configuration["MarketData:BaseUrl"]))
            {
                siloBuilder.Services.AddMarketDataClient(configuration);
                siloBuilder.Services.AddJob<QuoteJob>();
            }
            if (FakeTime is { } fake)
            {
                siloBuilder.Services.AddSingleton<TimeProvider>(fake);
            }
        }
    }
}
