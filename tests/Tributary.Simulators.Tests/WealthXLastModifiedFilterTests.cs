namespace Tributary.Simulators.Tests;

/// <summary>
/// lastModifiedFrom/lastModifiedTo select a subset first, and fromIndex/toIndex page over that subset.
/// </summary>
public sealed class WealthXLastModifiedFilterTests(PagedSimulatorFixture fixture) : IClassFixture<PagedSimulatorFixture>
{
    private readonly SimulatorInstance _simulator = fixture.Simulator;

    [Theory]
    [InlineData("2024-01-01", "2024-12-31")]
    [InlineData("2025-03-01", null)]
    [InlineData(null, "2019-06-30")]
    public async Task FilterSelectsByLastModifiedThenPages(string? from, string? to)
    {
        var all = await ReadAllAsync();
        var expected = all
            .Where(d => (from is null || string.CompareOrdinal(d.LastModified, from) >= 0) && (to is null || string.CompareOrdinal(d.LastModified, to) <= 0))
            .Select(d => d.Id)
            .ToList();
        var filter = (from is null ? string.Empty : $"&lastModifiedFrom={from}") + (to is null ? string.Empty : $"&lastModifiedTo={to}");
        Assert.NotEmpty(expected);

        using var firstPage = await _simulator.GetPageAsync($"fromIndex=1&toIndex=500{filter}");
        using var window = await _simulator.GetPageAsync($"fromIndex=2&toIndex=4{filter}");

        Assert.Equal(expected.Count, firstPage.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(expected.Take(500), SimulatorInstance.Ids(firstPage));
        Assert.Equal(Math.Min(500, expected.Count), firstPage.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Equal(expected.Skip(1).Take(3), SimulatorInstance.Ids(window));
    }

    [Fact]
    public async Task ASingleDayFilterIncludesBothBounds()
    {
        var all = await ReadAllAsync();
        var day = all[0].LastModified;
        var expected = all.Where(d => d.LastModified == day).Select(d => d.Id).ToList();

        using var page = await _simulator.GetPageAsync($"fromIndex=1&toIndex=500&lastModifiedFrom={day}&lastModifiedTo={day}");

        Assert.Contains(100_001, expected);
        Assert.Equal(expected, SimulatorInstance.Ids(page));
    }

    [Fact]
    public async Task AFilterMatchingNothingGivesAnEmptyPage()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=1&toIndex=500&lastModifiedFrom=2030-01-01");

        Assert.Equal(0, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(0, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Empty(SimulatorInstance.Ids(page));
    }

    private async Task<List<(int Id, string LastModified)>> ReadAllAsync()
    {
        var all = new List<(int, string)>();
        for (var from = 1; from <= PagedSimulatorFixture.Total; from += 500)
        {
            using var page = await _simulator.GetPageAsync($"fromIndex={from}&toIndex={from + 499}");
            all.AddRange(page.RootElement.GetProperty("dossiers").EnumerateArray()
                .Select(d => (d.GetProperty("ID").GetInt32(), d.GetProperty("lastModified").GetString()!)));
        }

        Assert.Equal(PagedSimulatorFixture.Total, all.Count);
        return all;
    }
}
