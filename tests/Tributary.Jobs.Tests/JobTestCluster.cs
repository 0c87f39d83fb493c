using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tributary.Silo;
using Tributary.Storage;

namespace Tributary.Jobs.Tests;

/// <summary>
/// A TestingHost cluster wired exactly like production (<see cref="TributarySilo.AddTributary"/>) on a fresh
/// migrated database, plus the test jobs of this project.
/// </summary>
public sealed class JobTestCluster : IAsyncDisposable
{
    private const string ConnectionStringKey = "Database:ConnectionString";

    private JobTestCluster(TestCluster cluster, string connectionString)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
    }

    public TestCluster Cluster { get; }
    public string ConnectionString { get; }
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Fake time shared by the silos when <c>fakeTime</c> was asked for.</summary>
    public static FakeTimeProvider? FakeTime { get; private set; }

    public static async Task<JobTestCluster> StartAsync(string purpose, Dictionary<string, string>? settings = null, bool fakeTime = false)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync(purpose);
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new DatabaseMigrator(dataSource, LoggerFactory.Create(_ => { }).CreateLogger<DatabaseMigrator>()).MigrateAsync();
            await TestJobs.CreateTablesAsync(dataSource);
        }

        FakeTime = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)) : null;
        var builder = new TestClusterBuilder(1);
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
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new JobTestCluster(cluster, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            siloBuilder.AddTributary(configuration, configuration[ConnectionStringKey]!);
            siloBuilder.Services.AddJob<CountingJob>();
            siloBuilder.Services.AddJob<GatedJob>();
            if (FakeTime is { } fake)
            {
                siloBuilder.Services.AddSingleton<TimeProvider>(fake);
            }
        }
    }
}
