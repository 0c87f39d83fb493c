using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>
/// Two silos run batches against one upstream at once; the simulator's request log is the judge of the
/// aggregate rate and of the Retry-After pause.
/// </summary>
/// <remarks>It measures real time between calls, so it runs alone (<see cref="RealTimeCollection"/>).</remarks>
[Collection(RealTimeCollection.Name)]
public sealed class SharedRateLimitTests
{
    private const double PermitsPerSecond = 8;

    [Fact]
    public async Task Two_silos_share_one_limit_and_one_retry_after_pause()
    {
        await using var simulator = await Simulator.StartAsync();
        var settings = simulator.MarketDataSettings();
        settings["RateLimits:marketdata:PermitsPerSecond"] = PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:marketdata:Burst"] = "1";
        settings["Jobs:test_quotes:RetryBaseDelay"] = "00:00:00.010";
        // This test drives the two runs' executors itself: the supervisor must not pick them up as well.
        settings["JobRuntime:SweepPeriod"] = "01:00:00";
        await using var cluster = await TributaryTestCluster.StartAsync("shared_rate", o => o.WithTestJobs().WithSettings(settings).WithSilos(2));
        // Until both silos see each other, each may believe it owns the whole directory and activate its own limiter.
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        // The first call meets a 429 that asks for a 2 s pause.
        (await simulator.Admin.PostAsJsonAsync("/_admin/faults", new { route = "marketdata.quotes", kind = "429", retryAfterSeconds = 2, count = 1 }))
            .EnsureSuccessStatusCode();

        // One run on each silo, through each silo's own runtime, at the same time (two run keys: single-flight is per key).
        var runs = cluster.Cluster.Silos.Cast<InProcessSiloHandle>().Select(async (silo, n) =>
        {
            var services = silo.SiloHost.Services;
            Assert.True(services.GetRequiredService<JobCatalog>().TryGet("test_quotes", out var definition, out var jobSettings));
            var runId = Guid.NewGuid();
            var items = await definition.PlanAsync(new JobPlanContext(runId, "test_quotes", new RunRequest(RunTrigger.Manual)), CancellationToken.None);
            var (run, _) = await services.GetRequiredService<JobRunStore>().CreateRunAsync(
                new NewRun(runId, "test_quotes", RunTrigger.Manual, null, new Dictionary<string, string>(), null, null, items, jobSettings.BatchSize,
                    RunKey: $"silo-{n}"), CancellationToken.None);
            return (await services.GetRequiredService<RunExecutor>().ExecuteAsync(run, definition, jobSettings, CancellationToken.None)).Status;
        }).ToList();
        var statuses = await Task.WhenAll(runs);

        Assert.Equal([RunStatus.Succeeded, RunStatus.Succeeded], statuses);
        var log = (await simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/requests?route=marketdata.quotes"))
            .EnumerateArray()
            .Select(r => (Time: r.GetProperty("timeUtc").GetDateTimeOffset(), Status: r.GetProperty("status").GetInt32(), Duration: r.GetProperty("durationMs").GetDouble()))
            .OrderBy(r => r.Time)
            .ToList();
        Assert.Equal(25, log.Count);

        // Nothing after the 429 reached its caller until its Retry-After passed. A call let through just before the 429
        // was answered may still arrive after it, as late as a late wake-up (the jitter below): that is not a new call.
        var jitter = TimeSpan.FromMilliseconds(150);
        var throttled = Assert.Single(log, r => r.Status == 429);
        var answeredAt = throttled.Time + TimeSpan.FromMilliseconds(throttled.Duration);
        Assert.DoesNotContain(log, r => r.Time > answeredAt + jitter && r.Time < answeredAt + TimeSpan.FromSeconds(2));

        // The aggregate rate of both silos stays within the limit. The limiter spaces the slots exactly; a caller
        // sends at or after its slot, so one that wakes late (a loaded 2-core machine: up to ~100 ms) can land next to
        // the following slot. Hence: any k+1 calls span at least k intervals, less one late wake-up.
        var interval = TimeSpan.FromSeconds(1 / PermitsPerSecond);
        var calls = string.Join("\n", log.Select((r, i) => $"  {i}: {r.Time:HH:mm:ss.fff} {r.Status} ({r.Duration:0} ms)"));
        for (var i = 0; i < log.Count; i++)
        {
            for (var k = 1; i + k < log.Count; k++)
            {
                Assert.True(log[i + k].Time - log[i].Time >= interval * k - jitter,
                    $"calls {i} and {i + k} were {(log[i + k].Time - log[i].Time).TotalMilliseconds:0} ms apart; the limit allows no less than {(interval * k).TotalMilliseconds:0} ms. The calls:\n{calls}");
            }
        }
    }
}
