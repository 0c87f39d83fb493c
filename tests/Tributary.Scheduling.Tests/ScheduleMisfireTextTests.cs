using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// The misfire policy's text is read by the API (the grain takes <see cref="MisfirePolicy"/>), yet a bad change is
/// answered as when the grain read it: one 400 with every bad field in the order cron, timeZone, misfire, maxCatchUp,
/// its detail naming them all, and nothing changed.
/// </summary>
public sealed class ScheduleMisfireTextTests
{
    private const string Refused = "The schedule was not changed.";
    private const string BadMisfire = "Misfire policy 'sometimes' is unknown; allowed: skip, once, all.";

    [Fact]
    public async Task A_bad_misfire_text_is_refused_with_the_other_fields_problems_and_changes_nothing()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("schedule misfire text", o => o.WithScheduleJobs());
        await using var api = await ScheduleApiHost.StartAsync(cluster.Cluster.Client);
        var path = $"/api/schedules/{ReportJob.JobName}";
        using (var created = await api.Client.PutAsJsonAsync(path, new { cron = "0 6 * * *", misfire = " ALL " }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal("all", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("misfire").GetString());
        }

        var alone = await ProblemAsync(await api.Client.PutAsJsonAsync(path, new { misfire = "sometimes" }));
        var all = await ProblemAsync(await api.Client.PutAsJsonAsync(path, new { cron = "0 61 * * *", timeZone = "Mars/Base", misfire = "sometimes", maxCatchUp = 0 }));
        var empty = await ProblemAsync(await api.Client.PutAsJsonAsync(path, new { misfire = "" }));
        using var unknownJob = await api.Client.PutAsJsonAsync("/api/schedules/no_such_job", new { cron = "0 6 * * *", misfire = "sometimes" });

        Assert.Equal((Refused, $"misfire: {BadMisfire}"), (alone.Title, alone.Detail));
        Assert.Equal(["misfire"], alone.Fields);
        Assert.Equal(["cron", "timeZone", "misfire", "maxCatchUp"], all.Fields);
        Assert.Equal(
            "cron: Cron '0 61 * * *' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive). "
            + "timeZone: Time zone 'Mars/Base' is unknown. Use an IANA id such as 'Europe/Zurich' or 'UTC'. "
            + $"misfire: {BadMisfire} maxCatchUp: Must be 1..1000, was 0.",
            all.Detail);
        Assert.Equal("misfire: Misfire policy '' is unknown; allowed: skip, once, all.", empty.Detail);
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
        var unchanged = await api.Client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(("0 6 * * *", "all", 10), (unchanged.GetProperty("cron").GetString(), unchanged.GetProperty("misfire").GetString(), unchanged.GetProperty("maxCatchUp").GetInt32()));
    }

    private static async Task<(string? Title, string? Detail, string[] Fields)> ProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString(),
                [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)]);
        }
    }
}
