using Tributary.Cluster.Tests.WealthX;
using Tributary.Simulators.WealthX;

namespace Tributary.Cluster.Tests.Faults;

/// <summary>
/// A silo killed at each point of a run where a crash can land (the crash switch <c>TRIBUTARY_CRASH_AT</c>) leaves a
/// run that the survivor finishes by itself, with every dossier stored once: no new trigger, no loss, no duplicate.
/// </summary>
/// <remarks>
/// Both silos are armed and share a once-file, so exactly one of them (whichever gets there) dies. The watchdog reminder
/// is set to a minute, so it is the supervisor's sweep on a silo's death, and the adoption of a run its grain never
/// recorded, that bring the run back within the test's deadline.
/// </remarks>
[Collection(FaultCollection.Name)]
public sealed class CrashPointTests
{
    // The silo's switch (Tributary.Jobs.CrashPoints): the point names and the environment variables it reads.
    private const string CrashAt = "TRIBUTARY_CRASH_AT";
    private const string CrashOnceFile = "TRIBUTARY_CRASH_ONCE_FILE";

    public static TheoryData<string, int> Points => new()
    {
        { "run-created", 1 },
        { "batch-claimed", 3 },
        { "batch-committed", 3 },
        { "batch-checkpointed", 3 },
        { "run-finished", 1 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_silo_killed_at_the_point_leaves_a_run_that_finishes_with_every_dossier_stored_once(string point, int hit)
    {
        var onceFile = Path.Combine(Path.GetTempPath(), $"tributary-crash-{Guid.NewGuid():N}");
        await using var pull = await WealthXPull.StartAsync($"crash_{point}", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "3000",
            ["WealthX:MinCallInterval"] = "00:00:00.100",
            ["JobRuntime:WatchdogPeriod"] = "00:01:00",
            [CrashAt] = $"{point}@{hit}",
            [CrashOnceFile] = onceFile,
        }, siloCount: 2);

        // At run-created the silo dies inside this very call: the gateway retries it with its idempotency key.
        var runId = await pull.StartSessionAsync();
        var status = await pull.WaitForRunAsync(runId, TimeSpan.FromSeconds(90));

        // At run-finished the run is final in the database a moment before its silo kills itself: wait for the death.
        await Eventually.TrueAsync(() => Task.FromResult(pull.Cluster.Silos.Any(s => s.HasExited)), $"a silo crashes at {point}");
        var crashed = pull.Cluster.Silos.Where(s => s.HasExited).ToList();
        Assert.True(crashed.Count == 1, $"exactly one silo should have crashed at {point}; exited: {crashed.Count}.\n"
            + string.Join("\n---\n", pull.Cluster.Silos.Select(s => s.Output)));
        Assert.Contains($"Crash switch: killing this silo at {point}", crashed[0].Output, StringComparison.Ordinal);
        Assert.Equal("succeeded", status);
        Assert.Equal(1L, await pull.ScalarAsync($"SELECT count(*) FROM job_runs WHERE job = '{WealthXPull.Job}'"));
        Assert.Equal(0L, await pull.ScalarAsync("SELECT count(*) FROM job_dead_letters"));
        Assert.Equal(6L, await pull.ScalarAsync($"SELECT count(*) FROM job_run_batches WHERE run_id = '{runId}' AND status = 'succeeded'"));
        Assert.Equal(Enumerable.Range(1, 3_000).Select(i => (long)DossierIds.FromIndex(i)),
            (await pull.CreatedAtAsync()).Keys.Order());
        var progress = await pull.StatusAsync();
        Assert.Equal(3_001, progress.GetProperty("current_index").GetInt32());
        Assert.Equal(3_000, progress.GetProperty("records_processed").GetInt64());
        var ranges = (await pull.CallsAsync()).Where(c => c.Status == 200).Select(c => c.Range).ToList();
        Assert.Equal(6, ranges.Distinct().Count());
        // Only the page in flight at the crash may have been asked for twice.
        Assert.InRange(ranges.Count, 6, 7);
        File.Delete(onceFile);
    }
}

/// <summary>The tests that kill silos or stop the database run one at a time: each wants the machine's two cores for its timings.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
