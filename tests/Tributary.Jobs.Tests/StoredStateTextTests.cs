using System.Reflection;
using System.Text.Json;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;
using Tributary.WealthX;

namespace Tributary.Jobs.Tests;

/// <summary>
/// Grain state is a database edge: a run's status and a schedule's misfire policy are stored in it as the text they
/// always were (<c>succeeded</c>, <c>once</c>), whatever types the grains use inside, so rows written by any silo,
/// older or newer, read back (<see cref="StoredNameTests"/> reads rows an older silo wrote).
/// </summary>
public sealed class StoredStateTextTests
{
    [Fact]
    public async Task Grains_store_run_status_and_misfire_policy_as_the_text_older_silos_read()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("stored_state_text", o => o.WithTestJobs());
        var job = cluster.Grains.GetGrain<IJobGrain>(JobKey.For("test_counting"));

        var ticket = await job.Trigger(new RunRequest(RunTrigger.Manual, Parameters: new Dictionary<string, string> { ["count"] = "4" }));
        await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, ticket.RunId);
        await Eventually.TrueAsync(async () => (await job.GetSnapshot()).LastRunId == ticket.RunId, $"job state records run {ticket.RunId} as its last");
        await cluster.Grains.GetGrain<IScheduleGrain>(ScheduleKey.For("test_counting"))
            .Configure(new ScheduleChange("30 22 * * 1-5", "Europe/Zurich", MisfirePolicy.Once, Enabled: false));

        var jobState = await StoredStateAsync(cluster, "job", "job:test_counting");
        var scheduleState = await StoredStateAsync(cluster, "schedule", "schedule:test_counting");

        Assert.Equal("succeeded", jobState.GetProperty("LastStatus").GetString());
        Assert.Equal("once", scheduleState.GetProperty("Misfire").GetString());
    }

    [Fact]
    public void Stored_state_keeps_the_types_of_its_fields()
    {
        // A stored field's type is part of every row already written: changing it is a migration, not a refactoring.
        Assert.Equal(typeof(string), StoredType(typeof(JobState), nameof(JobState.LastStatus)));
        Assert.Equal(typeof(string), StoredType(typeof(ScheduleState), nameof(ScheduleState.Misfire)));
        Assert.Equal(typeof(WealthXSessionInfo), StoredType(typeof(WealthXPullState), nameof(WealthXPullState.LastSession)));
        Assert.Equal(typeof(string), StoredType(typeof(WealthXSessionInfo), nameof(WealthXSessionInfo.Status)));
    }

    private static Type StoredType(Type state, string property) =>
        state.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.PropertyType;

    private static async Task<JsonElement> StoredStateAsync(TributaryTestCluster cluster, string stateName, string key)
    {
        var payload = await RunAssertions.ScalarAsync<string>(
            cluster.ConnectionString,
            "SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE service_id = @service AND state_name = @state AND grain_id_extension = @key",
            ("service", cluster.ServiceId), ("state", stateName), ("key", key));
        return JsonDocument.Parse(payload).RootElement.Clone();
    }
}
