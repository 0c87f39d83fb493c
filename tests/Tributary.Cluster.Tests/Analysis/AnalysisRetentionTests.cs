using System.Globalization;
using Npgsql;
using Tributary.Analysis;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;

namespace Tributary.Cluster.Tests.Analysis;

/// <summary>The daily retention of analysis tasks on a real cluster over PostgreSQL, driven by a fake clock.</summary>
public sealed class AnalysisRetentionTests
{
    [Fact]
    public async Task Tasks_older_than_the_retention_are_deleted_with_their_sections_and_the_run_counts_them()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("analysis retention", o => o
            .WithFakeTime(DateTimeOffset.Parse("2026-10-01T08:00:00Z", CultureInfo.InvariantCulture))
            .WithSetting("Silo:MinimumReminderPeriod", "00:00:01")
            .WithSetting("Tasks:RetentionDays", "30"));

        var schedule = await cluster.Schedule(AnalysisKeys.RetentionJobName).Get();
        Assert.Equal(("40 3 * * *", "UTC", (MisfirePolicy?)MisfirePolicy.Once, true), (schedule.Cron, schedule.TimeZone, schedule.Misfire, schedule.Enabled));
        // Paused, so the run triggered below is the only one: advanced 20 days, the schedule's own (misfired) run could
        // otherwise still be going when the trigger comes, which then joins it and finds nothing 30 days old.
        await cluster.Schedule(AnalysisKeys.RetentionJobName).Pause();

        var old = await SubmitAsync(cluster, 3);
        cluster.Time.Advance(TimeSpan.FromDays(20));
        var recent = await SubmitAsync(cluster, 2);
        cluster.Time.Advance(TimeSpan.FromDays(11)); // the first three are 31 days old, the others 11

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For(AnalysisKeys.RetentionJobName)).Trigger(new RunRequest(RunTrigger.Manual));
        var run = await cluster.WaitForFinalAsync(ticket.RunId);

        Assert.Equal((RunStatus.Succeeded, 3), (run.Status, run.ItemsProcessed));
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using (var details = new NpgsqlCommand($"SELECT details FROM job_run_batches WHERE run_id = '{run.RunId}'", connection))
        {
            Assert.Equal(3, JsonDocument.Parse((string)(await details.ExecuteScalarAsync())!).RootElement.GetProperty("tasks").GetInt32());
        }

        await using var left = new NpgsqlCommand("SELECT task_id FROM analysis_tasks ORDER BY task_id", connection);
        var kept = new List<Guid>();
        await using (var reader = await left.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                kept.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(recent.Order(), kept);
        await using var sections = new NpgsqlCommand("SELECT count(*) FROM analysis_task_sections", connection);
        Assert.Equal(2L * 4, (long)(await sections.ExecuteScalarAsync())!);
        Assert.DoesNotContain(old[0], kept);
    }

    private static async Task<IReadOnlyList<Guid>> SubmitAsync(TributaryTestCluster cluster, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            var submitted = await cluster.Grains.GetGrain<IAnalysisTaskGrain>(id).Submit(new TaskSubmission("retention user", AnalysisTaskTests.SeedExample, null, null));
            Assert.True(submitted.Created, $"task {i} was not created: {submitted}");
            ids.Add(id);
        }

        return ids;
    }
}
