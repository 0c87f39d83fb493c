using Npgsql;
using Tributary.Diagnostics;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;
using Tributary.WealthX;

namespace Tributary.Jobs.Tests;

/// <summary>
/// The names Orleans stores are pinned: grain types (the prefix of every reminder row's grain id and of every message)
/// and the state classes' .NET names (inside every stored payload). State written under today's names is read back
/// unchanged, so a class or namespace rename that would orphan it fails here first.
/// </summary>
public sealed class StoredNameTests
{
    private static readonly Guid LastRun = Guid.Parse("971d1794-cb21-4e95-b264-a564f0900684");

    [Fact]
    public async Task Grain_types_are_the_names_stored_reminders_and_state_already_use()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("stored_names", o => o.WithTestJobs());
        var grains = cluster.Grains;

        Assert.Equal("job/job:test_counting", grains.GetGrain<IJobGrain>(JobKey.For("test_counting")).GetGrainId().ToString());
        Assert.Equal("job/job:test_gated#a", grains.GetGrain<IJobGrain>(JobKey.For("test_gated", "a")).GetGrainId().ToString());
        Assert.Equal("schedule/schedule:test_counting", grains.GetGrain<IScheduleGrain>(ScheduleKey.For("test_counting")).GetGrainId().ToString());
        Assert.Equal("scheduledirectory", grains.GetGrain<IScheduleDirectoryGrain>(IScheduleDirectoryGrain.Key).GetGrainId().Type.ToString());
        Assert.Equal("wealthxpull/wealthx:default", grains.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey("default")).GetGrainId().ToString());
        Assert.Equal("jobcatalog", grains.GetGrain<IJobCatalogGrain>(0).GetGrainId().Type.ToString());
        Assert.Equal("ratelimiter", grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For("marketdata", "default")).GetGrainId().Type.ToString());
        Assert.Equal("probe", grains.GetGrain<IProbeGrain>(ProbeKey.For("p")).GetGrainId().Type.ToString());
        Assert.Equal("membershipview", grains.GetGrain<IMembershipViewGrain>(0).GetGrainId().Type.ToString());
    }

    [Fact]
    public async Task State_written_under_todays_names_is_read_back_by_the_grains()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("stored_state", o => o.WithTestJobs());
        var serviceId = cluster.Cluster.Options.ServiceId;
        // Payloads exactly as a silo of 2026-11-30 wrote them (Newtonsoft JSON carrying the state classes' .NET names).
        await InsertStateAsync(cluster.ConnectionString, serviceId, "job", "job:test_counting",
            """{"$id":"1","$type":"Tributary.Jobs.JobState, Tributary.Grains","CurrentReplayOf":{"$type":"System.Collections.Generic.List`1[[System.Int64, System.Private.CoreLib]], System.Private.CoreLib","$values":[]},"LastRunId":"971d1794-cb21-4e95-b264-a564f0900684","LastStatus":"succeeded","LastFinishedAt":"2026-11-30T11:27:16.3413477+00:00"}""");
        await InsertStateAsync(cluster.ConnectionString, serviceId, "schedule", "schedule:test_counting",
            """{"$id":"1","$type":"Tributary.Scheduling.ScheduleState, Tributary.Grains","Cron":"30 22 * * 1-5","TimeZone":"Europe/Zurich","Misfire":"once","MaxCatchUp":10,"Enabled":false,"HandledThrough":"2026-11-30T11:25:16.192102+00:00","Pending":{"$type":"System.Collections.Generic.List`1[[System.DateTimeOffset, System.Private.CoreLib]], System.Private.CoreLib","$values":[]},"NextDue":"2026-11-30T22:30:00+01:00","LastTickAt":"2026-11-30T11:27:16.4223572+00:00","ChangedBy":"api","UpdatedAt":"2026-11-30T11:25:16.192102+00:00","Configured":true}""");

        var snapshot = await cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting")).GetSnapshot();
        var schedule = await cluster.Grains.GetGrain<IScheduleGrain>(ScheduleKey.For("test_counting")).Get();

        Assert.Equal(LastRun, snapshot.LastRunId);
        Assert.Equal(RunStatus.Succeeded, snapshot.LastStatus);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 27, 16, TimeSpan.Zero).AddTicks(3413477), snapshot.LastFinishedAt);
        Assert.Null(snapshot.CurrentRunId);
        Assert.True(schedule.Configured);
        Assert.Equal("30 22 * * 1-5", schedule.Cron);
        Assert.Equal("Europe/Zurich", schedule.TimeZone);
        Assert.Equal(MisfirePolicy.Once, schedule.Misfire);
        Assert.False(schedule.Enabled);
    }

    private static async Task InsertStateAsync(string connectionString, string serviceId, string stateName, string key, string payload)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
            VALUES (@service, @state, 0, 0, @key, convert_to(@payload, 'UTF8'), 1)
            """);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync();
    }
}
