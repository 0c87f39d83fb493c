using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests;

/// <summary>Each fault kind, injected deterministically with count mode through the admin API.</summary>
public sealed class FaultInjectionTests
{
    private const string Route = "wealthx.alldossiers";
    private const string Query = "fromIndex=1&toIndex=2";

    [Fact]
    public async Task TooManyRequestsCarriesRetryAfterAndTheUpstreamBody()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "429", count = 1, retryAfterSeconds = 7 });

        using var limited = await simulator.GetDossiersAsync(Query);
        using var next = await simulator.GetDossiersAsync(Query);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("text/plain", limited.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await limited.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(null, 503)]
    [InlineData(502, 502)]
    [InlineData(500, 500)]
    public async Task ServerErrorSendsTheConfiguredStatus(int? status, int expected)
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "5xx", count = 1, status });

        using var failed = await simulator.GetDossiersAsync(Query);

        Assert.Equal(expected, (int)failed.StatusCode);
        Assert.Empty(await failed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task LatencyDelaysTheRealResponseByAtLeastTheConfiguredTime()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "latency", count = 1, latencyMs = 300 });

        var clock = Stopwatch.StartNew();
        using var page = await simulator.GetPageAsync(Query);
        clock.Stop();

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"The response came after {clock.Elapsed.TotalMilliseconds} ms.");
        Assert.Equal(2, SimulatorInstance.Ids(page).Length);
    }

    [Fact]
    public async Task MalformedSendsA200WhoseBodyIsNotJson()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "malformed", count = 1 });

        using var response = await simulator.GetDossiersAsync(Query);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.StartsWith("{\"totalDossiers\":10,", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task ResetAbortsTheConnection()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "reset", count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => simulator.GetDossiersAsync(Query));
        using var next = await simulator.GetDossiersAsync(Query);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task CountModeStopsAfterNRequests()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = Route, kind = "5xx", count = 3 });

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await simulator.GetDossiersAsync(Query);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([503, 503, 503, 200, 200], statuses);
        var rule = Assert.Single(await simulator.GetFaultsAsync());
        Assert.Equal(0, rule.Remaining);
        Assert.Equal(3, rule.Fired);
    }

    [Fact]
    public async Task ProbabilityIsReproducibleForTheSameSeed()
    {
        var first = await StatusesUnderProbabilityAsync(seed: 7);
        var again = await StatusesUnderProbabilityAsync(seed: 7);

        Assert.Equal(first, again);
        Assert.Contains(503, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task RulesForOtherRoutesDoNotFireAndTheWildcardMatchesAll()
    {
        await using var simulator = await StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.notfound", kind = "5xx", count = 1 });
        using var unaffected = await simulator.GetDossiersAsync(Query);
        await simulator.AddFaultAsync(new { route = "*", kind = "5xx", status = 504 });

        using var anyRoute = await simulator.Http.GetAsync("/wealthx/rest/v1/elsewhere");
        using var dossiers = await simulator.GetDossiersAsync(Query);

        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anyRoute.StatusCode);
        Assert.Equal(HttpStatusCode.GatewayTimeout, dossiers.StatusCode);
    }

    [Fact]
    public async Task RulesFromConfigurationApplyFromStartUp()
    {
        await using var simulator = await StartAsync(
            $"Simulators:Faults:0:Route={Route}",
            "Simulators:Faults:0:Kind=429",
            "Simulators:Faults:0:Count=2",
            "Simulators:Faults:0:RetryAfterSeconds=3");

        using var first = await simulator.GetDossiersAsync(Query);
        using var second = await simulator.GetDossiersAsync(Query);
        using var third = await simulator.GetDossiersAsync(Query);

        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Equal(
            [HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { first.StatusCode, second.StatusCode, third.StatusCode });
    }

    private static async Task<int[]> StatusesUnderProbabilityAsync(int seed)
    {
        await using var simulator = await StartAsync(
            $"Simulators:FaultSeed={seed}",
            $"Simulators:Faults:0:Route={Route}",
            "Simulators:Faults:0:Kind=5xx",
            "Simulators:Faults:0:Probability=0.5");
        var statuses = new int[20];
        for (var i = 0; i < statuses.Length; i++)
        {
            using var response = await simulator.GetDossiersAsync("fromIndex=1&toIndex=1");
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    private static Task<SimulatorInstance> StartAsync(params string[] settings) =>
        SimulatorInstance.StartAsync(["Simulators:WealthX:TotalDossiers=10", .. settings]);
}
