using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Api.WealthX;
using Xunit;

namespace Tributary.WealthX.Tests.Api;

public sealed class WealthXProjectionTests
{
    private const string Cron = "0 8,14,20 * * *";
    private const string Zone = "Europe/Zurich";

    /// <summary>A Monday in summer time, far from either DST change.</summary>
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly WealthXPullSettings Defaults = new(500, 14_000, TimeSpan.FromSeconds(1), Cron, Zone);

    [Fact]
    public void The_defaults_take_ten_days_for_420000_dossiers()
    {
        var projection = WealthXProjection.Compute(Defaults, 420_000, 0, Cron, Zone, Now);

        Assert.Equal(
            new WealthXProjectionView(
                ApiBatchSize: 500,
                ProcessingBatchSize: 14_000,
                ApiCallsPerSession: 28,
                RunsPerDay: 3,
                RecordsPerDay: 42_000,
                ApiCallsPerDay: 84,
                TargetDays: 10,
                TotalCapacity: 420_000,
                CompletionTimeDays: 10.0,
                SafetyBufferDays: 0.0,
                RecordsPerCall: 500,
                CallsPerSession: 28,
                RecordsPerSession: 14_000,
                MinCallIntervalSeconds: 1,
                SessionDurationSeconds: 27,
                SessionsPerDay: 3,
                CallsPerDay: 84,
                TotalDossiers: 420_000,
                RecordsRemaining: 420_000,
                DaysToFinish: 10,
                ShortestGapBetweenSessionsSeconds: 21_600,
                SafetyBufferSeconds: 21_573,
                Schedule: Cron,
                TimeZone: Zone),
            projection);
    }

    [Fact]
    public void The_seeds_config_summary_rows_read_as_the_seeds_table_with_its_names()
    {
        var projection = WealthXProjection.Compute(Defaults with { TargetDays = 10 }, 420_000, 0, Cron, Zone, Now);

        var json = JsonNode.Parse(JsonSerializer.Serialize(projection, Web))!.AsObject();

        // The seed's table: 500, 14,000, 28, 3, 42,000, 84, 10, 420,000, 10.0, 0.0.
        Assert.Equal(
            [
                ("api_batch_size", 500.0), ("processing_batch_size", 14_000.0), ("api_calls_per_session", 28.0), ("runs_per_day", 3.0),
                ("records_per_day", 42_000.0), ("api_calls_per_day", 84.0), ("target_days", 10.0), ("total_capacity", 420_000.0),
                ("completion_time_days", 10.0), ("safety_buffer_days", 0.0),
            ],
            json.Take(10).Select(p => (p.Key, p.Value!.GetValue<double>())));
    }

    [Fact]
    public void The_safety_buffer_in_days_is_the_target_less_the_time_a_full_pass_takes_and_goes_negative_when_it_overruns()
    {
        var twoRuns = WealthXProjection.Compute(Defaults with { TargetDays = 12 }, 420_000, 336_000, "0 8,20 * * *", Zone, Now);

        Assert.Equal(2, twoRuns.RunsPerDay);
        Assert.Equal(28_000, twoRuns.RecordsPerDay);
        Assert.Equal(56, twoRuns.ApiCallsPerDay);
        Assert.Equal(336_000, twoRuns.TotalCapacity);
        Assert.Equal(15, twoRuns.CompletionTimeDays);
        Assert.Equal(-3, twoRuns.SafetyBufferDays);
        Assert.Equal(3, twoRuns.DaysToFinish);
    }

    [Fact]
    public void A_small_total_finishes_within_the_first_day()
    {
        var projection = WealthXProjection.Compute(Defaults, 1_234, 0, Cron, Zone, Now);

        Assert.Equal(1_234, projection.TotalDossiers);
        Assert.Equal(1_234, projection.RecordsRemaining);
        Assert.Equal(0.03, projection.DaysToFinish);
        Assert.Equal(28, projection.CallsPerSession);
        Assert.Equal(42_000, projection.RecordsPerDay);
    }

    [Fact]
    public void Records_already_processed_are_not_remaining()
    {
        var projection = WealthXProjection.Compute(Defaults, 420_000, 336_000, Cron, Zone, Now);

        Assert.Equal(84_000, projection.RecordsRemaining);
        Assert.Equal(2, projection.DaysToFinish);
    }

    [Fact]
    public void An_unknown_total_leaves_the_remainder_and_the_days_empty()
    {
        var projection = WealthXProjection.Compute(Defaults, null, 0, Cron, Zone, Now);

        Assert.Null(projection.TotalDossiers);
        Assert.Null(projection.RecordsRemaining);
        Assert.Null(projection.DaysToFinish);
        Assert.Null(projection.CompletionTimeDays);
        Assert.Null(projection.SafetyBufferDays);
        Assert.Equal(420_000, projection.TotalCapacity);
        Assert.Equal(3, projection.SessionsPerDay);
        Assert.Equal(84, projection.CallsPerDay);
        Assert.Equal(21_573, projection.SafetyBufferSeconds);
    }

    [Fact]
    public void A_session_size_that_is_not_a_multiple_of_the_batch_rounds_the_calls_up()
    {
        var settings = new WealthXPullSettings(300, 14_000, TimeSpan.FromSeconds(2), Cron, Zone);

        var projection = WealthXProjection.Compute(settings, 420_000, 0, "30 0 */6 * * *", "UTC", Now);

        Assert.Equal(47, projection.CallsPerSession);
        Assert.Equal(92, projection.SessionDurationSeconds);
        Assert.Equal(4, projection.SessionsPerDay);
        Assert.Equal(188, projection.CallsPerDay);
        Assert.Equal(56_000, projection.RecordsPerDay);
        Assert.Equal(7.5, projection.DaysToFinish);
        Assert.Equal(21_600, projection.ShortestGapBetweenSessionsSeconds);
        Assert.Equal(21_508, projection.SafetyBufferSeconds);
        Assert.Equal("30 0 */6 * * *", projection.Schedule);
    }

    [Fact]
    public void A_cron_that_starts_one_session_a_week_has_no_gap_and_no_buffer()
    {
        var projection = WealthXProjection.Compute(Defaults, 420_000, 0, "0 8 * * 1", Zone, Now);

        Assert.Equal(0.14, projection.SessionsPerDay);
        Assert.Equal(2_000, projection.RecordsPerDay);
        Assert.Equal(210, projection.DaysToFinish);
        Assert.Null(projection.ShortestGapBetweenSessionsSeconds);
        Assert.Null(projection.SafetyBufferSeconds);
    }
}
