using System.Text.Json;
using Tributary.Api.Endpoints;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// The JSON of <c>/api/schedules</c> byte for byte as clients read it (the literals were written by the gateway
/// before it had views of its own for schedules), with the serializer settings minimal APIs use.
/// </summary>
public sealed class ScheduleJsonTests
{
    private static readonly JsonSerializerOptions Options = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;

    private static readonly Guid RunId = Guid.Parse("0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21");
    private static readonly DateTimeOffset At = new(2026, 5, 1, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_schedule_reads_as_before()
    {
        var schedule = new ScheduleSnapshot(
            "fetch_market_data", true, "0 6 * * *", "Europe/Zurich", MisfirePolicy.All, 3, true, At.AddDays(1), At, [At, At.AddHours(1)], 4, At.AddDays(-1), RunId,
            At.AddMinutes(-1), "job_busy", "Job busy with run 0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21 (running).", At, "api", At.AddDays(-2));

        Assert.Equal(
            """{"job":"fetch_market_data","configured":true,"cron":"0 6 * * *","timeZone":"Europe/Zurich","misfire":"all","maxCatchUp":3,"enabled":true,"nextDue":"2026-05-02T04:00:00+00:00","handledThrough":"2026-05-01T04:00:00+00:00","pending":["2026-05-01T04:00:00+00:00","2026-05-01T05:00:00+00:00"],"dropped":4,"lastOccurrence":"2026-04-30T04:00:00+00:00","lastRunId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","lastTriggeredAt":"2026-05-01T03:59:00+00:00","lastOutcome":"job_busy","lastMessage":"Job busy with run 0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21 (running).","lastTickAt":"2026-05-01T04:00:00+00:00","changedBy":"api","updatedAt":"2026-04-29T04:00:00+00:00"}""",
            Json(ScheduleView.From(schedule)));
        Assert.Equal(
            """[{"job":"fetch_market_data","configured":true,"cron":"0 6 * * *","timeZone":"UTC","misfire":"once","maxCatchUp":10,"enabled":false,"nextDue":null,"handledThrough":null,"pending":[],"dropped":0,"lastOccurrence":null,"lastRunId":null,"lastTriggeredAt":null,"lastOutcome":null,"lastMessage":null,"lastTickAt":null,"changedBy":"configuration","updatedAt":null}]""",
            Json<IReadOnlyList<ScheduleView>>([ScheduleView.From(new ScheduleSnapshot(
                "fetch_market_data", true, "0 6 * * *", "UTC", MisfirePolicy.Once, 10, false, null, null, [], 0, null, null, null, null, null, null, "configuration", null))]));
    }

    [Fact]
    public void Occurrences_read_as_before()
    {
        var occurrences = new ScheduleOccurrences("fetch_market_data", "30 2 * * *", "Europe/Zurich", true, new DateTime(2026, 3, 28, 12, 0, 0, DateTimeKind.Utc),
        [
            new(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), MovedByDstGap: true,
                MovedFrom: new DateTime(2026, 3, 29, 2, 30, 0), Note: "02:30 does not exist."),
            new(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), DstOverlap: DstOverlaps.First,
                Note: "02:30 happens twice."),
            new(new DateTime(2026, 10, 26, 1, 30, 0, DateTimeKind.Utc), new DateTimeOffset(2026, 10, 26, 2, 30, 0, TimeSpan.FromHours(1))),
        ]);

        Assert.Equal(
            """{"job":"fetch_market_data","cron":"30 2 * * *","timeZone":"Europe/Zurich","enabled":true,"after":"2026-03-28T12:00:00Z","occurrences":[{"utc":"2026-03-29T01:00:00Z","local":"2026-03-29T03:00:00+02:00","movedByDstGap":true,"movedFrom":"2026-03-29T02:30:00","dstOverlap":null,"note":"02:30 does not exist."},{"utc":"2026-10-25T00:30:00Z","local":"2026-10-25T02:30:00+02:00","movedByDstGap":false,"movedFrom":null,"dstOverlap":"first","note":"02:30 happens twice."},{"utc":"2026-10-26T01:30:00Z","local":"2026-10-26T02:30:00+01:00","movedByDstGap":false,"movedFrom":null,"dstOverlap":null,"note":null}]}""",
            Json(ScheduleOccurrencesView.From(occurrences)));
    }

    [Fact]
    public void An_unconfigured_schedule_has_no_policy_and_shows_null()
    {
        var none = new ScheduleSnapshot("test_digest", false, null, null, null, 0, false, null, null, [], 0, null, null, null, null, null, null, null, null);

        Assert.Equal(
            """{"job":"test_digest","configured":false,"cron":null,"timeZone":null,"misfire":null,"maxCatchUp":0,"enabled":false,"nextDue":null,"handledThrough":null,"pending":[],"dropped":0,"lastOccurrence":null,"lastRunId":null,"lastTriggeredAt":null,"lastOutcome":null,"lastMessage":null,"lastTickAt":null,"changedBy":null,"updatedAt":null}""",
            Json(ScheduleView.From(none)));
    }

    [Fact]
    public void Every_misfire_policy_reads_in_json_as_the_text_schedule_state_stores()
    {
        foreach (var policy in MisfirePolicy.Values)
        {
            using var json = JsonDocument.Parse(Json(ScheduleView.From(Configured(policy))));
            Assert.Equal(policy.ToText(), json.RootElement.GetProperty("misfire").GetString());
        }
    }

    private static ScheduleSnapshot Configured(MisfirePolicy policy) =>
        new("fetch_market_data", true, "0 6 * * *", "UTC", policy, 10, true, null, null, [], 0, null, null, null, null, null, null, "api", null);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);
}
