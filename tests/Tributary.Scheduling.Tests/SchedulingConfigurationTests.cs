using Microsoft.Extensions.Configuration;

namespace Tributary.Scheduling.Tests;

/// <summary>Schedules and scheduler settings from configuration: defaults, and sentences naming bad settings.</summary>
public sealed class SchedulingConfigurationTests
{
    [Fact]
    public void Configured_schedules_take_defaults_and_jobs_without_a_cron_have_none()
    {
        var configuration = Configuration(new()
        {
            ["Jobs:fetch_market_data:Schedule:Cron"] = "0 6 * * *",
            ["Jobs:fetch_market_data:BatchSize"] = "100",
            ["Jobs:process_holdings:Schedule:Cron"] = "30 2 * * *",
            ["Jobs:process_holdings:Schedule:TimeZone"] = "Europe/Zurich",
            ["Jobs:process_holdings:Schedule:Misfire"] = "all",
            ["Jobs:process_holdings:Schedule:MaxCatchUp"] = "3",
            ["Jobs:process_holdings:Schedule:Enabled"] = "false",
            ["Jobs:unscheduled:BatchSize"] = "10",
        });

        var schedules = ConfiguredSchedules.Read(configuration);

        Assert.Equal(["fetch_market_data", "process_holdings"], schedules.Keys);
        Assert.Equal(new ScheduleChange("0 6 * * *", "UTC", MisfirePolicy.Skip, 10, true), schedules["fetch_market_data"]);
        Assert.Equal(new ScheduleChange("30 2 * * *", "Europe/Zurich", MisfirePolicy.All, 3, false), schedules["process_holdings"]);
    }

    [Fact]
    public void Bad_configured_schedules_stop_the_silo_with_every_setting_named()
    {
        var configuration = Configuration(new()
        {
            ["Jobs:a:Schedule:Cron"] = "0 61 * * *",
            ["Jobs:a:Schedule:TimeZone"] = "Mars/Base",
            ["Jobs:b:Schedule:Cron"] = "0 6 * * *",
            ["Jobs:b:Schedule:MaxCatchUp"] = "many",
            ["Jobs:b:Schedule:Enabled"] = "yes",
        });

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ConfiguredSchedules.Read(configuration));

        Assert.Equal(
            "Configuration error: " +
            "Jobs:a:Schedule:Cron: Cron '0 61 * * *' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive). " +
            "Jobs:a:Schedule:TimeZone: Time zone 'Mars/Base' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'. " +
            "Jobs:b:Schedule:MaxCatchUp must be a whole number, was 'many'. " +
            "Jobs:b:Schedule:Enabled must be true or false, was 'yes'.",
            "Configuration error: " + string.Join(" ", exception.Failures));
    }

    [Fact]
    public void The_heartbeat_must_respect_the_reminder_minimum_and_the_grace_must_cover_the_heartbeat()
    {
        var options = new SchedulingOptions { HeartbeatPeriod = TimeSpan.FromSeconds(30), MisfireGrace = TimeSpan.FromSeconds(10) };

        Assert.Equal(
            [
                "Scheduling:HeartbeatPeriod must be at least Silo:MinimumReminderPeriod (00:01:00), was 00:00:30.",
                "Scheduling:MisfireGrace must be at least Scheduling:HeartbeatPeriod (00:00:30), was 00:00:10; otherwise on-time occurrences are skipped as misfires.",
            ],
            options.Validate(TimeSpan.FromMinutes(1)));
        Assert.Empty(new SchedulingOptions().Validate(TimeSpan.FromMinutes(1)));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
