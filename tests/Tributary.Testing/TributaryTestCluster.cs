using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Silo;
using Tributary.Storage.Jobs;

namespace Tributary.Testing;

/// <summary>
/// The one test cluster: in-process silos (<see cref="InProcessTestClusterBuilder"/>) wired exactly like production
/// (<see cref="TributarySilo.AddTributary"/>) on a fresh migrated database, plus what a test project adds through
/// <see cref="TributaryTestClusterOptions"/>. The fake clock and the objects a test shares with its silos are services of
/// this cluster, not statics, so tests with clusters of their own run in parallel.
/// </summary>
/// <remarks>
/// TestingHost's in-process cluster joins through its own in-memory membership table and talks over an in-memory
/// transport. The real gateway is a separate Orleans client that finds silos in our membership table and connects over
/// TCP, so <see cref="TributaryTestClusterOptions.Gateway"/> switches both off (see <see cref="UseRealMembership"/> and
/// <see cref="UseSockets"/>); <see cref="TributaryTestClusterOptions.AdoNetMembership"/> switches off the first alone.
/// </remarks>
public sealed class TributaryTestCluster : IAsyncDisposable
{
    /// <summary>The setting that carries the cluster's database to its silos (as it does in production).</summary>
    public const string ConnectionStringSetting = "Database:ConnectionString";

    private static readonly string[] RuntimeAreasOnRealTime =
    [
        TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
    ];

    private readonly TributaryTestClusterOptions _options;
    private InProcessTestCluster? _cluster;
    private GatewayHost? _gateway;

    private TributaryTestCluster(TributaryTestClusterOptions options, string connectionString, string serviceId)
    {
        _options = options;
        ConnectionString = connectionString;
        ServiceId = serviceId;
    }

    /// <summary>The TestingHost cluster: its silos, to stop, kill or add one.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new ObjectDisposedException(nameof(TributaryTestCluster));

    public IClusterClient Client => Cluster.Client;

    public IGrainFactory Grains => Cluster.Client;

    public string ConnectionString { get; }

    public string ServiceId { get; }

    public string ClusterId => Cluster.Options.ClusterId;

    /// <summary>The oldest of the cluster's running silos (stopped and killed ones leave <see cref="InProcessTestCluster.Silos"/>).</summary>
    public InProcessSiloHandle Primary => Cluster.Silos[0];

    /// <summary>The fake clock of the silos; there is none unless <see cref="TributaryTestClusterOptions.WithFakeTime"/> asked for it.</summary>
    public FakeTimeProvider Time => _options.Time ?? throw new InvalidOperationException("This cluster runs on the system clock: start it WithFakeTime(...).");

    /// <summary>The real gateway in front of the cluster; there is none unless <see cref="TributaryTestClusterOptions.WithGateway"/> asked for it.</summary>
    public GatewayHost Gateway => _gateway ?? throw new InvalidOperationException("This cluster has no gateway: start it WithGateway().");

    /// <summary>The object registered with <see cref="TributaryTestClusterOptions.Share{T}"/>, as every silo sees it.</summary>
    public T Shared<T>()
        where T : class =>
        _options.Shared.TryGetValue(typeof(T), out var instance)
            ? (T)instance
            : throw new InvalidOperationException($"This cluster shares no {typeof(T).Name}: start it with Share(new {typeof(T).Name}(...)).");

    /// <summary>Creates a migrated database (unless <see cref="TributaryTestClusterOptions.OnDatabase"/>) and starts a cluster on it.</summary>
    /// <param name="purpose">Names the database, so a leftover one says which test made it.</param>
    public static async Task<TributaryTestCluster> StartAsync(string purpose, Action<TributaryTestClusterOptions>? configure = null)
    {
        var options = new TributaryTestClusterOptions();
        configure?.Invoke(options);
        var connectionString = options.ConnectionString ?? await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync(purpose);
        if (options.DatabaseSetups.Count > 0)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            foreach (var setup in options.DatabaseSetups)
            {
                await setup(dataSource);
            }
        }

        var cluster = new TributaryTestCluster(options, connectionString, options.ServiceId ?? $"tributary-{Guid.NewGuid():N}");
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// Stops every silo and starts new ones on the same database, service id, clock and shared objects: a restart of
    /// the whole service. <paramref name="change"/> may change the settings first, as a new deployment would.
    /// </summary>
    public async Task<TributaryTestCluster> RestartAsync(Action<TributaryTestClusterOptions>? change = null)
    {
        await StopAsync();
        change?.Invoke(_options);
        await DeployAsync();
        return this;
    }

    /// <summary>The job's runs, oldest first.</summary>
    public async Task<IReadOnlyList<JobRunRecord>> RunsAsync(string job)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var runs = await new JobRunStore(dataSource).ListRunsAsync(job, null, 500, CancellationToken.None);
        return runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.ScheduledFor).ToList();
    }

    /// <summary>Waits (real time: the run's loop runs on the thread pool) until the run is final and returns it.</summary>
    public async Task<JobRunRecord> WaitForFinalAsync(Guid runId, TimeSpan? timeout = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var store = new JobRunStore(dataSource);
        return await Eventually.ValueAsync(
            async () => await store.GetRunAsync(runId, CancellationToken.None) is { } run && RunStatus.IsFinal(run.Status) ? run : null,
            $"run {runId} reaches a final status", timeout);
    }

    /// <summary>
    /// Waits until the job grain has no run under way. A run is final in the database a moment before its grain
    /// hears so (a one-way call); a trigger in between is answered "busy", which is right but not what a test wants.
    /// </summary>
    public async Task WaitUntilIdleAsync(string job)
    {
        var grain = Grains.GetGrain<IJobGrain>(JobKey.For(job));
        await Eventually.TrueAsync(async () => (await grain.GetSnapshot()).CurrentRunId is null, $"job {job} has no run under way");
    }

    /// <summary>The schedule grain of <paramref name="job"/>.</summary>
    public IScheduleGrain Schedule(string job) => Grains.GetGrain<IScheduleGrain>(ScheduleKey.For(job));

    /// <summary>How many heartbeat reminders the job's schedule has in the reminder table (0 or 1).</summary>
    public async Task<long> HeartbeatsAsync(string job)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_reminder WHERE service_id = @service AND reminder_name = @name AND grain_id LIKE @grain", connection);
        command.Parameters.AddWithValue("service", ServiceId);
        command.Parameters.AddWithValue("name", ScheduleGrain.HeartbeatReminder);
        command.Parameters.AddWithValue("grain", $"%/{ScheduleKey.For(job)}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task DeployAsync()
    {
        var options = _options;
        var builder = new InProcessTestClusterBuilder(options.Silos);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = $"tributary-{Guid.NewGuid():N}";
        builder.Options.ConfigureFileLogging = false;
        if (options.AdoNetMembership)
        {
            UseRealMembership(builder.Options);
        }

        var settings = new Dictionary<string, string?>(options.Settings) { [ConnectionStringSetting] = ConnectionString };
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.UseOrleans(silo => ConfigureSilo(silo, options));
            if (options.Gateway)
            {
                host.ConfigureContainer(new DefaultServiceProviderFactory(), UseSockets);
            }
        });
        if (options.AdoNetMembership)
        {
            builder.ConfigureClient(client =>
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = TributarySilo.Invariant;
                    o.ConnectionString = ConnectionString;
                });
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            });
        }

        if (options.Gateway)
        {
            builder.ConfigureClientHost(host => host.ConfigureContainer(new DefaultServiceProviderFactory(), UseSockets));
        }

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            _cluster = cluster;
            if (options.Gateway)
            {
                _gateway = await GatewayHost.StartAsync(ConnectionString, cluster.Options.ClusterId, ServiceId);
            }
        }
        catch
        {
            _cluster = null;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            throw;
        }
    }

    private void ConfigureSilo(ISiloBuilder silo, TributaryTestClusterOptions options)
    {
        // Before AddTributary, whose TryAdd of the system clock then leaves the fake one in place.
        if (options.Time is { } time)
        {
            silo.Services.AddSingleton<TimeProvider>(time);
            // Orleans' own upkeep reads the default clock too, unless its area has a clock of its own: keep it on real
            // time, so a test that moves the fake clock months ahead does not make messages expire or silos look dead.
            // Grain timers and reminders stay on the fake clock, with the grains.
            foreach (var area in RuntimeAreasOnRealTime)
            {
                silo.Services.AddKeyedSingleton(area, TimeProvider.System);
            }
        }

        foreach (var (type, instance) in options.Shared)
        {
            silo.Services.AddSingleton(type, instance);
        }

        if (options.ProductionWiring)
        {
            silo.AddTributary(silo.Configuration, ConnectionString);
        }
        else if (options.AdoNetMembership)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = TributarySilo.Invariant;
                o.ConnectionString = ConnectionString;
            });
            // Read the table often, so silos see each other join and leave within a test's patience.
            silo.Configure<ClusterMembershipOptions>(o => o.TableRefreshTimeout = TimeSpan.FromSeconds(1));
        }

        foreach (var configure in options.SiloConfigurations)
        {
            configure(silo);
        }
    }

    private async Task StopAsync()
    {
        if (_gateway is { } gateway)
        {
            _gateway = null;
            await gateway.DisposeAsync();
        }

        if (_cluster is { } cluster)
        {
            _cluster = null;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Lets silos and client use the membership and gateway list of our own table instead of TestingHost's in-memory
    /// one. The switch exists (TestingHost's own ADO.NET tests use it) but is internal in Orleans 10.4.
    /// </summary>
    private static void UseRealMembership(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException(
                $"{typeof(InProcessTestClusterOptions).FullName} has no UseTestClusterMembership any more: find the new way to run an in-process cluster on ADO.NET membership.");
        property.SetValue(options, false);
    }

    /// <summary>
    /// Takes out TestingHost's in-memory transport (registered after ours, so it would win), leaving Orleans' own TCP
    /// sockets: a client outside the cluster, like the gateway, can then connect. Runs when the host builds its services.
    /// </summary>
    private static void UseSockets(IServiceCollection services)
    {
        var testingHost = typeof(InProcessTestCluster).Assembly;
        var inMemory = services
            .Where(d => d.IsKeyedService
                && (d.ServiceType == typeof(IConnectionFactory) || d.ServiceType == typeof(IConnectionListenerFactory))
                && d.KeyedImplementationFactory?.Method.DeclaringType?.Assembly == testingHost)
            .ToList();
        if (inMemory.Count == 0)
        {
            throw new InvalidOperationException("Orleans.TestingHost registered no in-memory transport to take out: check how it wires its transport now.");
        }

        foreach (var descriptor in inMemory)
        {
            services.Remove(descriptor);
        }
    }
}
