using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Tributary.Storage;

/// <summary>PostgreSQL answers a trivial query: the database half of <c>/health</c>, on the gateway and on every silo.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (NpgsqlException exception)
        {
            // The message names the host, never the password.
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable: {exception.Message}");
        }
    }
}
