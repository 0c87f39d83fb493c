using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Tributary.Storage.Tests.Providers;

/// <summary>
/// Test clusters whose grain storage and reminders (and, when asked, membership) run on our PostgreSQL schema
/// through the Orleans ADO.NET providers, as the silo will use them.
/// </summary>
public static class TestSilo
{
    /// <summary>The grain storage provider grains use (the silo's <c>StorageNames.GrainState</c>).</summary>
    public const string StorageName = "tributary";

    /// <summary>A second provider over the same tables that deletes the row on clear.</summary>
    public const string DeletingStorageName = "tributary-deleting";

    /// <summary>The ADO.NET invariant name for Npgsql.</summary>
    public const string Invariant = "Npgsql";

    internal const string ConnectionStringKey = "Tributary:ConnectionString";

    /// <summary>A builder for a cluster on a migrated database.</summary>
    /// <param name="connectionString">The database, already migrated.</param>
    /// <param name="serviceId">Unique per test: storage and reminder rows are partitioned by it.</param>
    /// <param name="silos">How many silos to start.</param>
    /// <param name="useAdoNetMembership">Join through our membership table instead of the test membership.</param>
    public static TestClusterBuilder Builder(string connectionString, string serviceId, short silos = 1, bool useAdoNetMembership = false)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = $"{serviceId}-{Guid.NewGuid():N}"[..Math.Min(serviceId.Length + 9, 60)];
        builder.Options.ConfigureFileLogging = false;
        builder.Options.UseTestClusterMembership = !useAdoNetMembership;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<StorageAndReminders>();
        if (useAdoNetMembership)
        {
            builder.AddSiloBuilderConfigurator<AdoNetMembership>();
            builder.AddClientBuilderConfigurator<AdoNetGateways>();
        }

        return builder;
    }

    /// <summary>Builds and starts a cluster, disposing it if the start fails.</summary>
    public static async Task<TestCluster> StartAsync(TestClusterBuilder builder)
    {
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionStringKey] ?? throw new InvalidOperationException($"{ConnectionStringKey} is not set.");

    private sealed class StorageAndReminders : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = ConnectionString(siloBuilder.Configuration);
            siloBuilder.AddAdoNetGrainStorage(StorageName, options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            siloBuilder.AddAdoNetGrainStorage(DeletingStorageName, options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
                options.DeleteStateOnClear = true;
            });
            siloBuilder.UseAdoNetReminderService(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            // The default minimum period is a minute; it must be the same on every silo.
            siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class AdoNetMembership : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = ConnectionString(siloBuilder.Configuration);
            siloBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            // Read the table often, so silos see each other join and leave within a test's patience.
            siloBuilder.Configure<ClusterMembershipOptions>(options => options.TableRefreshTimeout = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class AdoNetGateways : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = ConnectionString(configuration);
            });
            clientBuilder.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
