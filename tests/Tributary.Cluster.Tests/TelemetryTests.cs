using System.Text.RegularExpressions;
using Tributary.Cluster.Tests.WealthX;

namespace Tributary.Cluster.Tests;

/// <summary>Probes and metrics as an orchestrator and Prometheus read them: each silo's health port and the gateway's.</summary>
public sealed partial class TelemetryTests
{
    [Fact]
    public async Task A_finished_run_shows_in_the_silos_prometheus_metrics_and_the_probes_answer()
    {
        await using var pull = await WealthXPull.StartAsync("telemetry", new Dictionary<string, string>
        {
            ["WealthX:SessionSize"] = "1000",
            ["WealthX:MinCallInterval"] = "00:00:00.100",
        });
        var silo = pull.Cluster.Silos.Single();
        using var probes = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HealthPort}") };

        Assert.Equal("succeeded", (await pull.RunSessionAsync()).Status);
        var metrics = await probes.GetStringAsync("/metrics");
        var alive = await probes.GetAsync("/alive");
        var health = await probes.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal(1, Sample(metrics, "tributary_jobs_runs_finished_total", "job=\"wealthx_default\"", "status=\"succeeded\""));
        Assert.Equal(1, Sample(metrics, "tributary_jobs_runs_started_total", "job=\"wealthx_default\"", "trigger=\"manual\""));
        Assert.Equal(2, Sample(metrics, "tributary_jobs_batches_total", "job=\"wealthx_default\"", "outcome=\"succeeded\""));
        Assert.Equal(1000, Sample(metrics, "tributary_jobs_items_processed_total", "job=\"wealthx_default\""));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(["database", "silo"], health.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());

        // The gateway: /alive for anyone, /metrics for admins only.
        using var anonymous = pull.Cluster.Gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pull.Client.GetAsync("/metrics")).StatusCode);
        var gatewayMetrics = await pull.AdminClient.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds", gatewayMetrics, StringComparison.Ordinal);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static long Sample(string exposition, string metric, params string[] labels)
    {
        var samples = exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count == 1, $"expected one sample of {metric} with {string.Join(",", labels)}; the exposition has:\n"
            + string.Join("\n", exposition.Split('\n').Where(l => l.StartsWith("tributary_", StringComparison.Ordinal))));
        return long.Parse(ValueOf().Match(samples[0]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\}\s+([0-9]+)(?:\s|$)")]
    private static partial Regex ValueOf();
}
