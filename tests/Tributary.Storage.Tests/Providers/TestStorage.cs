using Tributary.Testing;

namespace Tributary.Storage.Tests.Providers;

/// <summary>
/// Test clusters whose grain storage and reminders run on our PostgreSQL schema through the Orleans ADO.NET providers
/// alone, as the silo will use them, without the rest of the production wiring.
/// </summary>
public static class TestStorage
{
    /// <summary>The grain storage provider grains use (the silo's <c>StorageNames.GrainState</c>).</summary>
    public const string StorageName = "tributary";

    /// <summary>A second provider over the same tables that deletes the row on clear.</summary>
    public const string DeletingStorageName = "tributary-deleting";

    /// <summary>The ADO.NET invariant name for Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Silos with only the storage and reminder providers, on the cluster's database.</summary>
    public static TributaryTestClusterOptions WithTestStorage(this TributaryTestClusterOptions options) => options
        .WithoutTributary()
        .ConfigureSilo(silo =>
        {
            var connectionString = silo.Configuration[TributaryTestCluster.ConnectionStringSetting]
                ?? throw new InvalidOperationException($"{TributaryTestCluster.ConnectionStringSetting} is not set.");
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
            });
            silo.AddAdoNetGrainStorage(DeletingStorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
                o.DeleteStateOnClear = true;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
            });
            // The default minimum period is a minute; it must be the same on every silo.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
}
