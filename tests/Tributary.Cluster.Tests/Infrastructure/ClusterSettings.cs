namespace Tributary.Cluster.Tests.Infrastructure;

/// <summary>Configuration for test silos: a private cluster and service id, and membership tuned to notice a dead silo in seconds.</summary>
public sealed record ClusterSettings(string ConnectionString, string ClusterId, string ServiceId)
{
    public static ClusterSettings Create(string connectionString)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        return new ClusterSettings(connectionString, $"cluster-{id}", $"service-{id}");
    }

    public Dictionary<string, string> ForSilo(bool migrateOnStart = true) => new()
    {
        ["Database:ConnectionString"] = ConnectionString,
        ["Database:MigrateOnStart"] = migrateOnStart ? "true" : "false",
        ["Cluster:ClusterId"] = ClusterId,
        ["Cluster:ServiceId"] = ServiceId,
        // Defaults take ~30 s to declare a killed silo dead; tests want a few seconds.
        ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
        ["Cluster:Membership:NumMissedProbesLimit"] = "2",
        ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Silo:MinimumReminderPeriod"] = "00:00:01",
        ["JobRuntime:WatchdogPeriod"] = "00:00:01",
        ["Silo:ShutdownTimeout"] = "00:00:20",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Tributary"] = "Information",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };
}
