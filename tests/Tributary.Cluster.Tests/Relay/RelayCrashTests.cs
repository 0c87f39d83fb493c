using Tributary.Cluster.Tests.Faults;

namespace Tributary.Cluster.Tests.Relay;

/// <summary>
/// The silo running a relay killed at each point where a crash can land (the runtime's crash switch): the survivor
/// finishes the run by itself, /cred/ ends holding exactly the selection, each file as Credinvest has it, and no file
/// that was there before is deleted before every selected file is verified.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RelayCrashTests
{
    // The relay's plan: 13 files (batches 1..13), then the cleanup (batch 14).
    public static TheoryData<string, int> Points => new()
    {
        { "run-created", 1 },
        { "batch-claimed", 3 },
        { "batch-committed", 5 },
        { "batch-checkpointed", 7 },
        { "batch-claimed", 14 },
        { "batch-committed", 14 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_silo_killed_at_the_point_leaves_a_relay_that_the_survivor_finishes_with_every_file_once(string point, int hit)
    {
        var onceFile = Path.Combine(Path.GetTempPath(), $"tributary-crash-{Guid.NewGuid():N}");
        await using var relay = await RelaySync.StartAsync($"relay_crash_{point.Replace('-', '_')}_{hit}", silo: new Dictionary<string, string>
        {
            ["Relay:UploadInterval"] = "00:00:00.100",
            ["JobRuntime:WatchdogPeriod"] = "00:01:00",
            ["TRIBUTARY_CRASH_AT"] = $"{point}@{hit}",
            ["TRIBUTARY_CRASH_ONCE_FILE"] = onceFile,
        }, siloCount: 2);

        // At run-created the silo dies inside this very call: the gateway retries it with its idempotency key.
        using var started = await relay.Client.PostAsync("/api/etl/credinvest_relay/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var status = await Eventually.ValueAsync(async () =>
        {
            var run = await relay.Client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}");
            return run.GetProperty("status").GetString() is "running" or "queued" ? null : run.GetProperty("status").GetString();
        }, $"relay run {runId} ends after the crash at {point}@{hit}", TimeSpan.FromSeconds(120));

        await Eventually.TrueAsync(() => Task.FromResult(relay.Cluster.Silos.Any(s => s.HasExited)), $"a silo crashes at {point}");
        var crashed = relay.Cluster.Silos.Where(s => s.HasExited).ToList();
        Assert.True(crashed.Count == 1, $"exactly one silo should have crashed at {point}@{hit}; exited: {crashed.Count}.\n"
            + string.Join("\n---\n", relay.Cluster.Silos.Select(s => s.Output)));
        Assert.Contains($"Crash switch: killing this silo at {point}", crashed[0].Output, StringComparison.Ordinal);
        Assert.Equal("succeeded", status);
        Assert.Equal(1L, await relay.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'credinvest_relay'"));
        Assert.Equal(0L, await relay.ScalarAsync("SELECT count(*) FROM job_dead_letters"));
        Assert.Equal(14L, await relay.ScalarAsync($"SELECT count(*) FROM job_run_batches WHERE run_id = '{runId}' AND status = 'succeeded'"));
        var expected = RelaySync.Selected.ToDictionary(name => $"/cred/{name}", relay.HashOnSftp, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(f => f.Key, StringComparer.Ordinal), (await relay.DropboxFilesAsync()).OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal(13L, await relay.ScalarAsync($"SELECT count(*) FROM relay_upload WHERE run_id = '{runId}' AND status = 'uploaded'"));

        // Deletes came only after the last upload: no delete_batch before the 13th file's successful upload.
        var log = await relay.Simulator.RequestsAsync();
        var lastUpload = log.Where(e => e.Route == "dropbox.upload" && e.Status == 200).Max(e => e.Sequence);
        Assert.All(log.Where(e => e.Route == "dropbox.delete_batch"), e => Assert.True(e.Sequence > lastUpload, $"delete_batch {e.Sequence} came before upload {lastUpload}"));
    }
}
