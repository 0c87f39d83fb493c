using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tributary.Simulators.Tests;

/// <summary>Changing the data set at runtime: new dossiers appear, existing ones change.</summary>
public sealed class WealthXAdminTests
{
    [Fact]
    public async Task RaisingTheTotalMakesNewDossiersAppearAtTheEnd()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=1234");

        using var change = await simulator.Http.PutAsJsonAsync("/_admin/wealthx/total", new { totalDossiers = 1300 });
        using var page = await simulator.GetPageAsync("fromIndex=1001&toIndex=1500");

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        using var state = JsonDocument.Parse(await change.Content.ReadAsStringAsync());
        Assert.Equal(1300, state.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(1234, state.RootElement.GetProperty("configuredTotalDossiers").GetInt32());
        Assert.Equal(1300, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(Enumerable.Range(101_001, 300), SimulatorInstance.Ids(page));
    }

    [Fact]
    public async Task ARevisionChangesContentAndLastModifiedButNotThePerson()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=50");
        using var before = await simulator.GetPageAsync("fromIndex=10&toIndex=10");

        using var revise = await simulator.Http.PostAsJsonAsync("/_admin/wealthx/dossiers/100010/revisions", new { lastModified = "2026-01-15" });
        using var after = await simulator.GetPageAsync("fromIndex=10&toIndex=10");
        using var changedSince = await simulator.GetPageAsync("fromIndex=1&toIndex=50&lastModifiedFrom=2026-01-01");

        Assert.Equal(HttpStatusCode.OK, revise.StatusCode);
        Assert.Equal("""{"id":100010,"index":10,"revision":1,"lastModified":"2026-01-15"}""", await revise.Content.ReadAsStringAsync());
        var old = before.RootElement.GetProperty("dossiers")[0];
        var @new = after.RootElement.GetProperty("dossiers")[0];
        Assert.Equal(100_010, @new.GetProperty("ID").GetInt32());
        Assert.Equal("2026-01-15", @new.GetProperty("lastModified").GetString());
        Assert.Equal(old.GetProperty("fullName").GetString(), @new.GetProperty("fullName").GetString());
        Assert.NotEqual(old.GetProperty("researchNotes").GetString(), @new.GetProperty("researchNotes").GetString());
        Assert.Equal([100_010], SimulatorInstance.Ids(changedSince));
    }

    [Fact]
    public async Task ARevisionWithoutADateIsModifiedTodayAndCountsUp()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=50");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        using var first = await simulator.Http.PostAsync("/_admin/wealthx/dossiers/100003/revisions", content: null);
        using var second = await simulator.Http.PostAsync("/_admin/wealthx/dossiers/100003/revisions", content: null);
        var state = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/wealthx");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var revised = Assert.Single(state.GetProperty("revisions").EnumerateArray());
        Assert.Equal(100_003, revised.GetProperty("id").GetInt32());
        Assert.Equal(2, revised.GetProperty("revision").GetInt32());
        var lastModified = DateOnly.Parse(revised.GetProperty("lastModified").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastModified, today, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    [Fact]
    public async Task ResetRestoresTheConfiguredSet()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=50");
        using var original = await simulator.GetPageAsync("fromIndex=1&toIndex=50");
        (await simulator.Http.PutAsJsonAsync("/_admin/wealthx/total", new { totalDossiers = 60 })).Dispose();
        (await simulator.Http.PostAsJsonAsync("/_admin/wealthx/dossiers/100001/revisions", new { lastModified = "2026-02-02" })).Dispose();

        using var reset = await simulator.Http.PostAsync("/_admin/wealthx/reset", content: null);
        using var restored = await simulator.GetPageAsync("fromIndex=1&toIndex=500");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(original.RootElement.GetRawText(), restored.RootElement.GetRawText());
    }

    [Fact]
    public async Task RevisingAnUnknownIdIsA404()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=50");

        using var response = await simulator.Http.PostAsync("/_admin/wealthx/dossiers/100051/revisions", content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"totalDossiers":-1}""", "/_admin/wealthx/total", "totalDossiers")]
    [InlineData("""{}""", "/_admin/wealthx/total", "totalDossiers")]
    [InlineData("""{"totalDossiers":"many"}""", "/_admin/wealthx/total", "body")]
    [InlineData("""{"lastModified":"15.01.2026"}""", "/_admin/wealthx/dossiers/100001/revisions", "lastModified")]
    public async Task InvalidAdminChangesAreA400NamingTheField(string json, string path, string field)
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=50");
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = path.EndsWith("/total", StringComparison.Ordinal)
            ? await simulator.Http.PutAsync(path, content)
            : await simulator.Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
