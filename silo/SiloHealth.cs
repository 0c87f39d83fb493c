using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tributary.Silo;

/// <summary>What a silo's <c>/health</c> checks besides its database (<see cref="Storage.DatabaseHealthCheck"/>): the cluster counts this silo as active.</summary>
internal static class SiloHealth
{
    public sealed class MembershipCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            var data = new Dictionary<string, object> { ["status"] = status.ToString() };
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"Silo {silo.Name} is active in the cluster.", data)
                : HealthCheckResult.Unhealthy($"Silo {silo.Name} is {status}, not active.", data: data));
        }
    }

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
