using Tributary.Scheduling;
using Tributary.Storage.Jobs;

namespace Tributary.Cluster.Tests.Relay;

/// <summary>The integrated sync's own schedule on a real cluster over PostgreSQL, driven by a fake clock.</summary>
public sealed class IntegratedSyncScheduleTests
{
    [Fact]
    public async Task Seventeen_ten_missed_while_no_silo_ticked_runs_once_on_the_next_tick()
    {
        // 30 Nov 2026, 16:00 in Zurich. Vestr points at a closed loopback port: the test is about the schedule.
        await using var cluster = await TributaryTestCluster.StartAsync("integrated sync schedule", o => o
            .WithFakeTime(DateTimeOffset.Parse("2026-11-30T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Silo:MinimumReminderPeriod", "00:00:01")
            .WithSetting("Scheduling:HeartbeatPeriod", "00:30:00")
            .WithSetting("Scheduling:MisfireGrace", "00:30:00")
            .WithSetting("Vestr:KeycloakUrl", "http://127.0.0.1:9/keycloak/realms/vestr/")
            .WithSetting("Vestr:GraphQlUrl", "http://127.0.0.1:9/vestr/graphql")
            .WithSetting("Vestr:Username", "nobody")
            .WithSetting("Vestr:Password", "unused-in-this-test")
            .WithSetting("Vestr:TotpSecret", "JBSWY3DPEHPK3PXP")
            .WithSetting("Jobs:vestr_fees:MaxAttempts", "1"));
        var schedule = cluster.Schedule("integrated_sync");

        var seeded = await schedule.Get();
        Assert.Equal(("10 17 * * *", "Europe/Zurich", (MisfirePolicy?)MisfirePolicy.Once, true), (seeded.Cron, seeded.TimeZone, seeded.Misfire, seeded.Enabled));
        Assert.Equal(Utc("2026-11-30T16:10:00Z"), seeded.NextDue);

        // Nothing ticks for two days and a bit: 17:10 on 30 Nov, 1 Dec and 2 Dec pass unseen.
        cluster.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(2));
        await schedule.Tick();
        await schedule.Tick();

        var run = Assert.Single(await cluster.RunsAsync("integrated_sync"));
        Assert.Equal((RunTrigger.Schedule, (DateTimeOffset?)Utc("2026-12-02T16:10:00Z")), (run.Trigger, run.ScheduledFor));
        var after = await schedule.Get();
        Assert.Equal((run.RunId, (DateTimeOffset?)Utc("2026-12-03T16:10:00Z")), (after.LastRunId, after.NextDue));
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
