using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Tributary.Testing;

/// <summary>
/// What a <see cref="TributaryTestCluster"/> starts: how many silos, their settings, the clock, what a test project adds
/// to the production wiring, and the objects its silos share with the test. Everything here belongs to one cluster
/// (and its restarts), so clusters of several tests run side by side without seeing each other.
/// </summary>
public sealed class TributaryTestClusterOptions
{
    private readonly Dictionary<Type, object> _shared = [];
    private readonly List<Action<ISiloBuilder>> _siloConfigurations = [];
    private readonly List<Func<NpgsqlDataSource, Task>> _databaseSetups = [];

    /// <summary>How many silos start with the cluster.</summary>
    public short Silos { get; private set; } = 1;

    /// <summary>The silos' configuration, as a host's appsettings would give it.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The clock every silo reads (their <see cref="TimeProvider"/>); the system clock when null.</summary>
    public FakeTimeProvider? Time { get; private set; }

    /// <summary>Host the real gateway in front of the cluster; it joins through our membership table over TCP.</summary>
    public bool Gateway { get; private set; }

    /// <summary>Silos and client find each other through our membership table instead of TestingHost's in-memory one.</summary>
    public bool AdoNetMembership { get; private set; }

    /// <summary>Wire the silos as production does (<c>AddTributary</c>); off for tests of the Orleans providers alone.</summary>
    public bool ProductionWiring { get; private set; } = true;

    /// <summary>A database that already exists (migrated); a new one is created for the cluster when null.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>The service id rows are stored under; a new one per cluster when null.</summary>
    public string? ServiceId { get; private set; }

    internal IReadOnlyDictionary<Type, object> Shared => _shared;

    internal IReadOnlyList<Action<ISiloBuilder>> SiloConfigurations => _siloConfigurations;

    internal IReadOnlyList<Func<NpgsqlDataSource, Task>> DatabaseSetups => _databaseSetups;

    public TributaryTestClusterOptions WithSilos(short silos)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, (short)1);
        Silos = silos;
        return this;
    }

    public TributaryTestClusterOptions WithSetting(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    /// <summary>Adds or replaces settings.</summary>
    public TributaryTestClusterOptions WithSettings(IEnumerable<KeyValuePair<string, string>>? settings)
    {
        foreach (var (key, value) in settings ?? [])
        {
            Settings[key] = value;
        }

        return this;
    }

    /// <summary>A fake clock starting at <paramref name="start"/>, which the test moves on (<see cref="TributaryTestCluster.Time"/>).</summary>
    public TributaryTestClusterOptions WithFakeTime(DateTimeOffset start)
    {
        Time = new FakeTimeProvider(start);
        return this;
    }

    public TributaryTestClusterOptions WithGateway()
    {
        Gateway = true;
        AdoNetMembership = true;
        return this;
    }

    public TributaryTestClusterOptions WithAdoNetMembership()
    {
        AdoNetMembership = true;
        return this;
    }

    /// <summary>
    /// Silos without the production wiring: no providers, no domains, only what <see cref="ConfigureSilo"/> adds
    /// (the connection string is the setting <see cref="TributaryTestCluster.ConnectionStringSetting"/>).
    /// </summary>
    public TributaryTestClusterOptions WithoutTributary()
    {
        ProductionWiring = false;
        return this;
    }

    /// <summary>Runs on <paramref name="connectionString"/> (already migrated) instead of a database of its own.</summary>
    public TributaryTestClusterOptions OnDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        return this;
    }

    public TributaryTestClusterOptions WithServiceId(string serviceId)
    {
        ServiceId = serviceId;
        return this;
    }

    /// <summary>Adds to every silo, after the production wiring.</summary>
    public TributaryTestClusterOptions ConfigureSilo(Action<ISiloBuilder> configure)
    {
        _siloConfigurations.Add(configure);
        return this;
    }

    /// <summary>Registers services on every silo, after the production wiring (e.g. <c>services.AddJob&lt;T&gt;()</c>).</summary>
    public TributaryTestClusterOptions ConfigureServices(Action<IServiceCollection> configure) =>
        ConfigureSilo(silo => configure(silo.Services));

    /// <summary>
    /// One object that every silo of this cluster resolves as <typeparamref name="T"/> and the test reaches through
    /// <see cref="TributaryTestCluster.Shared{T}"/>: a test job's knobs, a log of what grains saw. It outlives restarts.
    /// </summary>
    public TributaryTestClusterOptions Share<T>(T instance)
        where T : class
    {
        _shared[typeof(T)] = instance;
        return this;
    }

    /// <summary>Runs once on the cluster's new database before the silos start (tables of test jobs, seed rows).</summary>
    public TributaryTestClusterOptions PrepareDatabase(Func<NpgsqlDataSource, Task> setup)
    {
        _databaseSetups.Add(setup);
        return this;
    }
}
