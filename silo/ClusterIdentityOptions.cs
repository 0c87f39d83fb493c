namespace Tributary.Silo;

/// <summary>Which cluster and service a process belongs to. Section <c>Cluster</c>; the gateway reads the same keys.</summary>
/// <remarks>
/// Membership rows are partitioned by ClusterId, grain state and reminders by ServiceId: keep ServiceId stable
/// across deployments or state is not found.
/// </remarks>
public static class ClusterIdentity
{
    public const string Section = "Cluster";
    public const string DefaultClusterId = "tributary";
    public const string DefaultServiceId = "tributary";
}
