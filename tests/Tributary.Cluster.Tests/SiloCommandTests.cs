using Npgsql;
using Tributary.Storage;

namespace Tributary.Cluster.Tests;

/// <summary>The silo process' own commands and its refusals, as an operator sees them: exit codes and sentences.</summary>
public sealed class SiloCommandTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Migrate_applies_everything_once_then_nothing()
    {
        var settings = ClusterSettings.Create(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("migrate"));

        await using var first = SiloProcess.Start("migrate-1", settings.ForSilo(), "migrate");
        Assert.Equal(0, await first.WaitForExitAsync(ExitTimeout));
        await using var second = SiloProcess.Start("migrate-2", settings.ForSilo(), "migrate");
        Assert.Equal(0, await second.WaitForExitAsync(ExitTimeout));

        Assert.Contains("(0 migrations applied now,", second.Output, StringComparison.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        await OrleansQueryCatalog.EnsureCompleteAsync(dataSource, CancellationToken.None);
    }

    [Fact]
    public async Task A_missing_query_key_stops_the_silo_with_its_name()
    {
        var settings = ClusterSettings.Create(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("missing_key"));
        await using (var migrate = SiloProcess.Start("migrate", settings.ForSilo(), "migrate"))
        {
            Assert.Equal(0, await migrate.WaitForExitAsync(ExitTimeout));
        }

        await using (var dataSource = NpgsqlDataSource.Create(settings.ConnectionString))
        {
            await using var delete = dataSource.CreateCommand("DELETE FROM orleansquery WHERE querykey = 'ReadRangeRows2Key'");
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        await using var silo = SiloProcess.Start("silo", settings.ForSilo(migrateOnStart: false));

        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("ReadRangeRows2Key", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_silo_with_a_sentence_naming_it()
    {
        var settings = ClusterSettings.Create("Host=127.0.0.1;Port=1;Username=nobody").ForSilo();
        settings["Silo:AdvertisedAddress"] = "not-an-ip";

        await using var silo = SiloProcess.Start("bad-config", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Silo:AdvertisedAddress must be an IP address or 'auto', was 'not-an-ip'.", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_job_setting_stops_the_silo_at_start_with_its_sentence()
    {
        var settings = ClusterSettings.Create("Host=127.0.0.1;Port=1;Username=nobody").ForSilo();
        settings["Jobs:process_transactions_to_holdings:BatchSize"] = "0";
        settings["JobRuntime:SweepPeriod"] = "00:00:00";

        await using var silo = SiloProcess.Start("bad-job", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Jobs:process_transactions_to_holdings:BatchSize must be 1..100000, was 0.", silo.Output, StringComparison.Ordinal);
        Assert.Contains("JobRuntime:SweepPeriod must be 00:00:00.1..01:00:00, was 00:00:00.", silo.Output, StringComparison.Ordinal);
        // Stopped before the database was touched: nothing about it.
        Assert.DoesNotContain("is not ready for the silo", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_of_several_options_classes_are_all_reported_at_start_in_one_line()
    {
        var settings = ClusterSettings.Create("Host=127.0.0.1;Port=1;Username=nobody").ForSilo();
        settings["Scheduling:MisfireGrace"] = "00:00:01";
        settings["Jobs:process_transactions_to_holdings:Schedule:Cron"] = "61 * * * *";
        settings["WealthX:BaseUrl"] = "http://127.0.0.1:9/wealthx/rest/v1/";
        settings["WealthX:Username"] = "pull-user";
        settings["WealthX:Password"] = "pull-password";
        settings["WealthX:SessionSize"] = "0";
        settings["WealthX:Feeds:second:Username"] = "second-user";

        await using var silo = SiloProcess.Start("bad-options", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        var line = Assert.Single(silo.Output.Split('\n'), l => l.StartsWith("Configuration error: ", StringComparison.Ordinal));
        Assert.Contains("Scheduling:MisfireGrace must be at least Scheduling:HeartbeatPeriod (00:01:00), was 00:00:01;", line, StringComparison.Ordinal);
        Assert.Contains("Jobs:process_transactions_to_holdings:Schedule:Cron: Cron '61 * * * *' is not valid:", line, StringComparison.Ordinal);
        Assert.Contains("WealthX:SessionSize must be 1..10000000, was 0.", line, StringComparison.Ordinal);
        Assert.Contains("WealthX:Feeds:second:Password must be set", line, StringComparison.Ordinal);
        Assert.DoesNotContain("pull-password", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("is not ready for the silo", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_silo_with_the_key_named()
    {
        var settings = ClusterSettings.Create("Host=127.0.0.1;Port=1;Username=nobody").ForSilo();
        settings["JobRuntime:SweepPeriod"] = "soon";

        await using var silo = SiloProcess.Start("wrong-type", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Configuration error: Failed to convert configuration value 'soon' at 'JobRuntime:SweepPeriod' to type 'System.TimeSpan'.", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_database_setting_stops_the_silo_saying_how_to_set_one()
    {
        await using var silo = SiloProcess.Start("no-database", new Dictionary<string, string>());

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("No database configured: set Database:ConnectionString", silo.Output, StringComparison.Ordinal);
    }
}
