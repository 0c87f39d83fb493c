using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tributary.Storage;
using Tributary.Storage.Analysis;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>Tasks left pending with no run by a full stop of the cluster are picked up when silos start, without a request.</summary>
public sealed class AnalysisRecoveryTests
{
    [Fact]
    public async Task A_task_stored_before_a_full_restart_with_no_run_is_completed_by_the_silos_that_start_next()
    {
        var taskId = Guid.NewGuid();
        await using var cluster = await RunningCluster.StartAsync("analysis_recovery", 1, new Dictionary<string, string> { ["Tasks:RecoveryPeriod"] = "00:00:02" },
            prepare: async settings =>
            {
                // What a silo that died right after storing a submit leaves: the task and its sections, no run.
                await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
                await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
                var created = await new AnalysisTaskStore(dataSource).CreateAsync(
                    new AnalysisTaskRecord(taskId, GatewayHost.OperatorUser, TaskStatuses.Pending, "builtin", AnalysisTaskTests.SeedExample, null, null,
                        DateTimeOffset.UtcNow.AddMinutes(-5), null, null),
                    ["summary", "movers", "allocation", "performance"], CancellationToken.None);
                Assert.True(created);
            });
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        var status = await AnalysisTaskTests.WaitForEndAsync(client, taskId.ToString());

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("sections").EnumerateArray(), s => Assert.Equal(("completed", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempts").GetInt32())));
        Assert.Equal(1L, await AnalysisTaskTests.CountAsync(cluster, "SELECT count(*) FROM job_runs WHERE job = 'analysis_task'"));
    }
}
