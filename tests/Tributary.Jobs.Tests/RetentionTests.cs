using Npgsql;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>The daily retention job deletes exactly what is past its age, keeps everything else, and counts what went.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task The_retention_job_deletes_exactly_what_is_past_its_age_and_counts_it_in_its_completion_event()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("retention", o => o.WithTestJobs().WithSettings(new Dictionary<string, string>
        {
            ["Retention:RunsDays"] = "30",
            ["Retention:EventsDays"] = "14",
            ["Retention:ClearedStateDays"] = "7",
            ["Retention:DeadSiloHours"] = "24",
        }));
        await SeedAsync(cluster.ConnectionString);

        var ticket = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For(RetentionJob.JobName)).Trigger(new RunRequest(RunTrigger.Manual));
        var run = await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(4, run.TotalBatches);
        Assert.Equal(27, run.ItemsProcessed);
        var completion = Assert.Single(await RunAssertions.EventsAsync(cluster.ConnectionString, ticket.RunId),
            e => e.GetProperty("type").GetString() == "tributary.job.run.completed");
        var counts = completion.GetProperty("data").GetProperty("counts");
        Assert.Equal(
            new Dictionary<string, long> { ["batches"] = 7, ["deadLetters"] = 1, ["deliveries"] = 3, ["events"] = 5, ["grainStates"] = 2, ["jobStates"] = 2, ["runs"] = 4, ["silos"] = 3 },
            counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));

        // What is kept: the recent run, the old run with an open dead letter, the old run still running, and the run itself.
        Assert.Equal(["keep-open", "keep-recent", "keep-running", RetentionJob.JobName],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT job FROM job_runs ORDER BY job"));
        Assert.Equal(1L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM job_dead_letters"));
        Assert.Equal(["E4", "E5", "R1", "R2", "R3"],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT subject FROM event_outbox WHERE source = '/seed' ORDER BY subject"));
        Assert.Equal(2L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"));
        Assert.Equal(0L, await RunAssertions.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM webhook_deliveries WHERE status <> 'pending'"));
        Assert.Equal(["cleared-recent", "kept-old"],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT grain_id_extension FROM orleans_grain_state WHERE state_name = 'seed' ORDER BY 1"));
        // A keyed job grain's state goes once it is idle and its last run was pruned (here in the same run, batch "runs"); the
        // job's own key, a run under way, a last run still kept and a recent write keep theirs.
        Assert.Equal(["job:keyed#current", "job:keyed#kept-run", "job:keyed#recent", "job:unkeyed"],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT grain_id_extension FROM orleans_grain_state WHERE service_id = 'seed' AND state_name = 'job' ORDER BY 1"));
        Assert.Equal(["active-old", "dead-recent"],
            await RunAssertions.ScalarsAsync<string>(cluster.ConnectionString, "SELECT silo_name FROM orleans_membership_member WHERE deployment_id = 'seed' ORDER BY silo_name"));
    }

    /// <summary>Rows of every kind on both sides of each cutoff.</summary>
    private static async Task SeedAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO job_runs (run_id, job, trigger, status, items, batch_size, created_at, started_at, finished_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 'old-1', 'manual', 'succeeded', '{a,b}', 1, now() - interval '41 days', now() - interval '41 days', now() - interval '40 days'),
                   ('00000000-0000-0000-0000-000000000002', 'old-2', 'manual', 'succeeded', '{a,b}', 1, now() - interval '41 days', now() - interval '41 days', now() - interval '40 days'),
                   ('00000000-0000-0000-0000-000000000003', 'old-3', 'manual', 'failed', '{a,b}', 1, now() - interval '41 days', now() - interval '41 days', now() - interval '31 days'),
                   ('00000000-0000-0000-0000-000000000004', 'old-replayed', 'manual', 'partially_succeeded', '{a}', 1, now() - interval '41 days', now() - interval '41 days', now() - interval '40 days'),
                   ('00000000-0000-0000-0000-000000000005', 'keep-open', 'manual', 'partially_succeeded', '{a}', 1, now() - interval '41 days', now() - interval '41 days', now() - interval '40 days'),
                   ('00000000-0000-0000-0000-000000000006', 'keep-recent', 'manual', 'succeeded', '{a}', 1, now() - interval '6 days', now() - interval '6 days', now() - interval '5 days'),
                   ('00000000-0000-0000-0000-000000000007', 'keep-running', 'manual', 'running', '{a}', 1, now() - interval '41 days', now() - interval '41 days', NULL);
            INSERT INTO job_run_batches (run_id, batch_index, item_offset, item_count, status)
            SELECT ('00000000-0000-0000-0000-00000000000' || r)::uuid, b, b, 1, 'succeeded' FROM generate_series(1, 3) r, generate_series(0, 1) b;
            INSERT INTO job_run_batches (run_id, batch_index, item_offset, item_count, status)
            VALUES ('00000000-0000-0000-0000-000000000004', 0, 0, 1, 'dead_lettered'), ('00000000-0000-0000-0000-000000000005', 0, 0, 1, 'dead_lettered'),
                   ('00000000-0000-0000-0000-000000000006', 0, 0, 1, 'succeeded'), ('00000000-0000-0000-0000-000000000007', 0, 0, 1, 'running');
            INSERT INTO job_dead_letters (job, run_id, batch_index, items, error, attempts, replayed_at)
            VALUES ('old-replayed', '00000000-0000-0000-0000-000000000004', 0, '{a}', 'x', 3, now() - interval '39 days'),
                   ('keep-open', '00000000-0000-0000-0000-000000000005', 0, '{a}', 'x', 3, NULL);

            INSERT INTO event_outbox (event_id, type, source, subject, time, event)
            SELECT gen_random_uuid(), 'seed', '/seed', s.subject, now() - s.age, '{}'::jsonb
            FROM (VALUES ('E1', interval '20 days'), ('E2', interval '20 days'), ('E3', interval '20 days'), ('E4', interval '20 days'),
                         ('E5', interval '20 days'), ('E6', interval '20 days'), ('E7', interval '20 days'),
                         ('R1', interval '1 day'), ('R2', interval '1 day'), ('R3', interval '1 day')) s(subject, age)
            ORDER BY s.subject;
            INSERT INTO webhooks (webhook_id, url, secret, cursor_sequence)
            VALUES ('00000000-0000-0000-0000-0000000000aa', 'http://127.0.0.1:9/hook', 'seed-secret-for-tests', (SELECT max(sequence) FROM event_outbox));
            INSERT INTO webhook_deliveries (webhook_id, sequence, status, attempts, next_attempt_at, delivered_at)
            SELECT '00000000-0000-0000-0000-0000000000aa', e.sequence,
                   CASE WHEN e.subject IN ('E4', 'E5') THEN 'pending' ELSE 'delivered' END, 1, now() - interval '20 days',
                   CASE WHEN e.subject IN ('E4', 'E5') THEN NULL ELSE now() - interval '20 days' END
            FROM event_outbox e WHERE e.subject IN ('E1', 'E2', 'E3', 'E4', 'E5');

            INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version, modified_at)
            VALUES ('seed', 'seed', 0, 0, 'cleared-old-1', NULL, 2, now() - interval '10 days'),
                   ('seed', 'seed', 0, 0, 'cleared-old-2', NULL, 2, now() - interval '8 days'),
                   ('seed', 'seed', 0, 0, 'cleared-recent', NULL, 2, now() - interval '1 day'),
                   ('seed', 'seed', 0, 0, 'kept-old', '\x7b7d', 1, now() - interval '100 days');
            INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version, modified_at)
            SELECT 'seed', 'job', 0, 0, s.key, convert_to(s.json, 'UTF8'), 3, now() - s.age
            FROM (VALUES ('job:keyed#pruned-run', '{"$type":"Tributary.Jobs.JobState","LastRunId":"00000000-0000-0000-0000-000000000001","LastStatus":"succeeded"}', interval '40 days'),
                         ('job:keyed#never-ran', '{"$type":"Tributary.Jobs.JobState"}', interval '40 days'),
                         ('job:keyed#kept-run', '{"$type":"Tributary.Jobs.JobState","LastRunId":"00000000-0000-0000-0000-000000000006","LastStatus":"succeeded"}', interval '40 days'),
                         ('job:keyed#current', '{"$type":"Tributary.Jobs.JobState","CurrentRunId":"00000000-0000-0000-0000-000000000007","LastRunId":"00000000-0000-0000-0000-000000000001"}', interval '40 days'),
                         ('job:keyed#recent', '{"$type":"Tributary.Jobs.JobState","LastRunId":"00000000-0000-0000-0000-000000000002","LastStatus":"succeeded"}', interval '29 days'),
                         ('job:unkeyed', '{"$type":"Tributary.Jobs.JobState","LastRunId":"00000000-0000-0000-0000-000000000001","LastStatus":"succeeded"}', interval '40 days')) s(key, json, age);

            INSERT INTO orleans_membership_version (deployment_id, version) VALUES ('seed', 1);
            INSERT INTO orleans_membership_member (deployment_id, address, port, generation, silo_name, host_name, status, start_time, i_am_alive_time)
            VALUES ('seed', '127.0.0.1', 1, 1, 'dead-old-1', 'h', 6, now() - interval '3 days', now() - interval '2 days'),
                   ('seed', '127.0.0.1', 2, 1, 'dead-old-2', 'h', 6, now() - interval '3 days', now() - interval '2 days'),
                   ('seed', '127.0.0.1', 3, 1, 'created-old', 'h', 1, now() - interval '3 days', now() - interval '2 days'),
                   ('seed', '127.0.0.1', 4, 1, 'active-old', 'h', 3, now() - interval '3 days', now() - interval '2 days'),
                   ('seed', '127.0.0.1', 5, 1, 'dead-recent', 'h', 6, now() - interval '3 hours', now() - interval '1 hour');
            """);
        await command.ExecuteNonQueryAsync();
    }
}
