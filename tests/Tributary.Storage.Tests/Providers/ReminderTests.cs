using Orleans.TestingHost;
using Tributary.Testing;

namespace Tributary.Storage.Tests.Providers;

/// <summary>Reminders through the Orleans ADO.NET reminder service on our schema.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task A_reminder_fires_and_fires_again_from_the_table_after_the_silo_restarts()
    {
        var connectionString = await MigratedDatabase.CreateAsync("reminder restart");
        var serviceId = $"reminder-{Guid.NewGuid():N}";
        var ticker = $"ticker:{Guid.NewGuid():N}";
        var ticks = new TickLog();

        string firstSilo;
        await using (var first = await TributaryTestCluster.StartAsync("reminder restart", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId).Share(ticks)))
        {
            firstSilo = Assert.IsType<InProcessSiloHandle>(first.Primary).SiloAddress.ToString();
            await first.Client.GetGrain<ITickerGrain>(ticker).StartAsync(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(
                () => Task.FromResult(ticks.SilosThatTicked(ticker).Contains(firstSilo)),
                "the reminder ticked on the first silo");
            await first.Cluster.StopAllSilosAsync();
        }

        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(
            connectionString, "SELECT count(*) FROM orleans_reminder WHERE service_id = @service", ("service", serviceId)));

        // Nobody calls the grain now: only the reminder row in our table can wake it on the new silo.
        await using var second = await TributaryTestCluster.StartAsync("reminder restart", o => o.WithTestStorage().OnDatabase(connectionString).WithServiceId(serviceId).Share(ticks));
        var secondSilo = Assert.IsType<InProcessSiloHandle>(second.Primary).SiloAddress.ToString();
        await Eventually.TrueAsync(
            () => Task.FromResult(ticks.SilosThatTicked(ticker).Contains(secondSilo)),
            "the reminder ticked on the restarted silo");

        Assert.Equal(new HashSet<string> { firstSilo, secondSilo }, ticks.SilosThatTicked(ticker));
    }
}
