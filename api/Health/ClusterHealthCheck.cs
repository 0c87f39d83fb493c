using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tributary.Api.Health;

/// <summary>At least one silo is active in the cluster's membership, as the silos hold it in memory (so this says "healthy" while only the database is down; the database check says that).</summary>
public sealed class ClusterHealthCheck(IClusterClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var active = await client.GetGrain<Diagnostics.IMembershipViewGrain>(0).ActiveSilos().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            var data = new Dictionary<string, object> { ["silosActive"] = active };
            return active > 0
                ? HealthCheckResult.Healthy($"{active} silo(s) active.", data)
                : HealthCheckResult.Unhealthy("No silo is active.", data: data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The cluster did not answer: {exception.Message}");
        }
    }
}
