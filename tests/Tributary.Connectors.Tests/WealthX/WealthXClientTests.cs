using System.Text.Json;
using Tributary.Simulators.WealthX;

namespace Tributary.Connectors.Tests.WealthX;

/// <summary>The connector against the real simulator over loopback: exact pages, 1-based inclusive ranges, incremental passes.</summary>
public sealed class WealthXClientTests
{
    private const string Path = "/wealthx/rest/v1/alldossiers";

    [Fact]
    public async Task TheFirstPageIsIndexes1To500InOneCall()
    {
        await using var simulator = await WealthXSimulator.StartAsync();

        var page = await simulator.Client.GetPageAsync(1, 500, CancellationToken.None);

        Assert.Equal((420_000, 500, 500), (page.TotalDossiers, page.LastIndexId, page.Dossiers.Count));
        Assert.Equal(Enumerable.Range(1, 500).Select(DossierIds.FromIndex), page.Dossiers.Select(Id));
        Assert.Equal(100_001, page.Dossiers[0].GetProperty("ID").GetInt32());
        var call = Assert.Single(await simulator.GetRequestLogAsync());
        Assert.Equal((200, $"{Path}?fromIndex=1&toIndex=500"), (call.Status, call.PathAndQuery));
    }

    [Fact]
    public async Task DossiersAreTheSimulatorsRawJson()
    {
        await using var simulator = await WealthXSimulator.StartAsync();

        var page = await simulator.Client.GetPageAsync(7, 8, CancellationToken.None);

        using var request = Authenticated(simulator, "alldossiers?fromIndex=7&toIndex=8");
        using var response = await simulator.Admin.SendAsync(request);
        using var raw = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var expected = raw.RootElement.GetProperty("dossiers").EnumerateArray().Select(dossier => dossier.GetRawText());
        Assert.Equal(expected, page.Dossiers.Select(dossier => dossier.GetRawText()));
        Assert.Equal([100_007, 100_008], page.Dossiers.Select(Id));
        Assert.Equal(8, page.LastIndexId);
    }

    [Fact]
    public async Task ATotalOf1234IsThreePagesThenAnEmptyOne()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.SetTotalAsync(1_234);

        var first = await simulator.Client.GetPageAsync(1, 500, CancellationToken.None);
        var second = await simulator.Client.GetPageAsync(501, 1_000, CancellationToken.None);
        var third = await simulator.Client.GetPageAsync(1_001, 1_500, CancellationToken.None);
        var past = await simulator.Client.GetPageAsync(1_235, 1_734, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 500).Select(DossierIds.FromIndex), first.Dossiers.Select(Id));
        Assert.Equal(Enumerable.Range(501, 500).Select(DossierIds.FromIndex), second.Dossiers.Select(Id));
        Assert.Equal(Enumerable.Range(1_001, 234).Select(DossierIds.FromIndex), third.Dossiers.Select(Id));
        Assert.Equal(
            [(1_234, 500, 500), (1_234, 1_000, 500), (1_234, 1_234, 234), (1_234, 1_234, 0)],
            new[] { first, second, third, past }.Select(page => (page.TotalDossiers, page.LastIndexId, page.Dossiers.Count)));
        Assert.Equal(
            [
                $"{Path}?fromIndex=1&toIndex=500",
                $"{Path}?fromIndex=501&toIndex=1000",
                $"{Path}?fromIndex=1001&toIndex=1500",
                $"{Path}?fromIndex=1235&toIndex=1734",
            ],
            (await simulator.GetRequestLogAsync()).Select(call => call.PathAndQuery));
    }

    [Fact]
    public async Task LastModifiedFromIsPassedThroughAndPagesOverTheChangedDossiers()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.SetTotalAsync(1_000);
        await simulator.ReviseAsync(100_010, "2030-01-02");
        await simulator.ReviseAsync(100_777, "2030-01-01");
        await simulator.ReviseAsync(100_900, "2029-12-31");

        var page = await simulator.Client.GetPageAsync(1, 500, new DateOnly(2030, 1, 1), CancellationToken.None);

        Assert.Equal((2, 2), (page.TotalDossiers, page.LastIndexId));
        Assert.Equal([100_010, 100_777], page.Dossiers.Select(Id));
        Assert.Equal(["2030-01-02", "2030-01-01"], page.Dossiers.Select(dossier => dossier.GetProperty("lastModified").GetString()));
        Assert.Equal($"{Path}?fromIndex=1&toIndex=500&lastModifiedFrom=2030-01-01", Assert.Single(await simulator.GetRequestLogAsync()).PathAndQuery);
    }

    [Fact]
    public async Task TheApiKeyIsSentWhenConfigured()
    {
        await using var simulator = await WealthXSimulator.StartAsync(
            new Dictionary<string, string?> { ["WealthX:ApiKey"] = "connector-test-apikey" },
            "Simulators:WealthX:ApiKey=connector-test-apikey");

        var page = await simulator.Client.GetPageAsync(1, 3, CancellationToken.None);

        Assert.Equal([100_001, 100_002, 100_003], page.Dossiers.Select(Id));
    }

    [Fact]
    public async Task ApiBatchSizeBoundsThePage()
    {
        await using var simulator = await WealthXSimulator.StartAsync(new Dictionary<string, string?> { ["WealthX:ApiBatchSize"] = "100" });

        var page = await simulator.Client.GetPageAsync(101, 200, CancellationToken.None);
        var tooWide = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetPageAsync(101, 201, CancellationToken.None));

        Assert.Equal(100, page.Dossiers.Count);
        Assert.Equal("fromIndex=101..toIndex=201 asks for 101 records; at most 100 per call (WealthX:ApiBatchSize). (Parameter 'toIndex')", tooWide.Message);
        Assert.Single(await simulator.GetRequestLogAsync());
    }

    [Fact]
    public async Task BadRangesAreRefusedBeforeAnyCall()
    {
        await using var simulator = await WealthXSimulator.StartAsync();

        var wide = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetPageAsync(1, 501, CancellationToken.None));
        var zero = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetPageAsync(0, 499, CancellationToken.None));
        var backwards = await Assert.ThrowsAsync<ArgumentException>(() => simulator.Client.GetPageAsync(10, 9, CancellationToken.None));

        Assert.Equal("fromIndex=1..toIndex=501 asks for 501 records; at most 500 per call (WealthX:ApiBatchSize). (Parameter 'toIndex')", wide.Message);
        Assert.Equal("fromIndex must be 1 or more (WealthX indexes are 1-based); was 0. (Parameter 'fromIndex')", zero.Message);
        Assert.Equal("toIndex must not be less than fromIndex (toIndex is inclusive); was fromIndex=10, toIndex=9. (Parameter 'toIndex')", backwards.Message);
        Assert.Empty(await simulator.GetRequestLogAsync());
    }

    private static int Id(JsonElement dossier) => dossier.GetProperty("ID").GetInt32();

    private static HttpRequestMessage Authenticated(WealthXSimulator simulator, string call)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.BaseUrl, call));
        request.Headers.Add("username", Testing.Simulator.WealthXUser);
        request.Headers.Add("password", Testing.Simulator.WealthXPassword);
        return request;
    }
}
