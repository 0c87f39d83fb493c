using Npgsql;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>A run whose silo dies is resumed from its checkpoint by the watchdog, with nobody calling the job.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task A_run_resumes_on_a_new_silo_and_reruns_only_the_unfinished_batch()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("resume", o => o.WithTestJobs());
        var knobs = cluster.Knobs();
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_gated"));
        var ticket = await job.Trigger(new RunRequest(RunTrigger.Manual));
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        var store = new JobRunStore(dataSource);
        await Eventually.TrueAsync(async () => (await store.GetBatchesAsync(ticket.RunId, CancellationToken.None)).Count == 1, "the run claims its batch");

        // The batch hangs on the gate; the silo goes away under it.
        var victim = cluster.Cluster.Silos[0];
        knobs.Gated.DeadSilos[victim.SiloAddress.ToString()] = 0;
        var survivor = await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.KillSiloAsync(victim);
        knobs.Gated.Open();

        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId, TimeSpan.FromSeconds(90));
        var batches = await store.GetBatchesAsync(ticket.RunId, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var batch = Assert.Single(batches);
        Assert.Equal(JobBatchRecord.Succeeded, batch.Status);
        Assert.Equal(3, batch.ItemsProcessed);
        Assert.Equal(1L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_runs"));
        Assert.Equal([survivor.SiloAddress.ToString()], knobs.Gated.CompletedOn);
    }
}
