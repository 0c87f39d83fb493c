using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Tributary.Scheduling;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>
/// The contracts that carry the runtime's enums cross between client and silos intact: storage's <see cref="RunStatus"/>
/// and <see cref="RunTrigger"/> have no Orleans attributes (storage knows no Orleans) and travel as their numbers,
/// <see cref="MisfirePolicy"/> has a generated codec.
/// </summary>
public sealed class ContractSerializationTests
{
    private static readonly Guid RunId = Guid.Parse("0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21");

    [Fact]
    public async Task Run_statuses_triggers_and_misfire_policies_survive_the_wire()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("contract_enums", o => o.WithTestJobs());
        var serializer = cluster.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        T RoundTrip<T>(T value) => serializer.Deserialize<T>(serializer.SerializeToArray(value))!;

        foreach (var status in RunStatus.Values)
        {
            Assert.Equal(new RunTicket(RunId, true, status), RoundTrip(new RunTicket(RunId, true, status)));
            Assert.Equal(status, RoundTrip(new JobSnapshot("j", null, RunId, status, null)).LastStatus);
        }

        Assert.Null(RoundTrip(new JobSnapshot("j", null, null, null, null)).LastStatus);
        foreach (var trigger in RunTrigger.Values)
        {
            Assert.Equal(trigger, RoundTrip(new RunRequest(trigger, DeadLetterIds: [7])).Trigger);
        }

        foreach (var policy in MisfirePolicy.Values)
        {
            Assert.Equal(new ScheduleChange("0 6 * * *", "UTC", policy, 3, true), RoundTrip(new ScheduleChange("0 6 * * *", "UTC", policy, 3, true)));
        }

        Assert.Null(RoundTrip(new ScheduleChange("0 6 * * *")).Misfire);
    }
}
