using System.Net;

namespace Tributary.Simulators.Tests;

/// <summary>The request log records what each simulated route was asked and answered.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task RecordsRouteMethodPathStatusAndFault()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10");
        var before = DateTimeOffset.UtcNow;
        (await simulator.GetDossiersAsync("fromIndex=1&toIndex=2")).Dispose();
        (await simulator.GetDossiersAsync("fromIndex=1&toIndex=2", password: "nope")).Dispose();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "429", count = 1 });
        (await simulator.GetDossiersAsync("fromIndex=3&toIndex=4")).Dispose();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "reset", count = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => simulator.GetDossiersAsync("fromIndex=5&toIndex=6"));
        (await simulator.Http.GetAsync("/wealthx/rest/v1/missing")).Dispose();
        (await simulator.Http.GetAsync("/health")).Dispose();

        var log = await simulator.GetRequestLogAsync();

        Assert.Equal(
            [
                (1L, "wealthx.alldossiers", "GET", "/wealthx/rest/v1/alldossiers?fromIndex=1&toIndex=2", (int?)200, (string?)null),
                (2L, "wealthx.alldossiers", "GET", "/wealthx/rest/v1/alldossiers?fromIndex=1&toIndex=2", 401, null),
                (3L, "wealthx.alldossiers", "GET", "/wealthx/rest/v1/alldossiers?fromIndex=3&toIndex=4", 429, "429"),
                (4L, "wealthx.alldossiers", "GET", "/wealthx/rest/v1/alldossiers?fromIndex=5&toIndex=6", null, "reset"),
                (5L, "wealthx.notfound", "GET", "/wealthx/rest/v1/missing", 404, null),
            ],
            log.Select(e => (e.Sequence, e.Route, e.Method, e.PathAndQuery, e.Status, e.Fault)));
        Assert.All(log, entry => Assert.InRange(entry.TimeUtc, before, DateTimeOffset.UtcNow));
        Assert.Equal(log.Select(e => e.TimeUtc).Order(), log.Select(e => e.TimeUtc));
    }

    [Fact]
    public async Task FiltersByRouteAndSinceAndClears()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10");
        (await simulator.GetDossiersAsync("fromIndex=1&toIndex=1")).Dispose();
        (await simulator.Http.GetAsync("/wealthx/rest/v1/missing")).Dispose();
        var first = await simulator.GetRequestLogAsync();
        var since = first[^1].TimeUtc.AddTicks(1);
        (await simulator.GetDossiersAsync("fromIndex=2&toIndex=2")).Dispose();

        var byRoute = await simulator.GetRequestLogAsync("?route=wealthx.notfound");
        var recent = await simulator.GetRequestLogAsync($"?since={Uri.EscapeDataString(since.ToString("O"))}");
        using var badSince = await simulator.Http.GetAsync("/_admin/requests?since=yesterday");
        using var clear = await simulator.Http.DeleteAsync("/_admin/requests");
        var afterClear = await simulator.GetRequestLogAsync();

        Assert.Equal(["/wealthx/rest/v1/missing"], byRoute.Select(e => e.PathAndQuery));
        Assert.Equal(["/wealthx/rest/v1/alldossiers?fromIndex=2&toIndex=2"], recent.Select(e => e.PathAndQuery));
        Assert.Equal(HttpStatusCode.BadRequest, badSince.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        Assert.Empty(afterClear);
    }

    [Fact]
    public async Task KeepsOnlyTheLatestEntriesUpToTheCapacity()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10", "Simulators:RequestLog:Capacity=3");
        for (var i = 1; i <= 5; i++)
        {
            (await simulator.GetDossiersAsync($"fromIndex={i}&toIndex={i}")).Dispose();
        }

        var log = await simulator.GetRequestLogAsync();

        Assert.Equal([3L, 4L, 5L], log.Select(e => e.Sequence));
    }
}
