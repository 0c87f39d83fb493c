using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests;

/// <summary>The alldossiers paging contract of PROTOCOLS.md over 1,234 dossiers.</summary>
public sealed class WealthXPagingTests(PagedSimulatorFixture fixture) : IClassFixture<PagedSimulatorFixture>
{
    private static readonly string[] Categories = ["UHNW", "VHNW", "HNW"];

    private readonly SimulatorInstance _simulator = fixture.Simulator;

    [Fact]
    public async Task FirstPageHoldsIndexes1To500()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=1&toIndex=500");

        Assert.Equal(PagedSimulatorFixture.Total, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(500, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Equal(Enumerable.Range(100_001, 500), SimulatorInstance.Ids(page));
    }

    [Fact]
    public async Task SecondPageContinuesWhereTheFirstEnded()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=501&toIndex=1000");

        Assert.Equal(1000, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Equal(Enumerable.Range(100_501, 500), SimulatorInstance.Ids(page));
    }

    [Fact]
    public async Task LastPageReturnsOnlyTheAvailableTail()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=1001&toIndex=1500");

        Assert.Equal(PagedSimulatorFixture.Total, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(1234, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Equal(Enumerable.Range(101_001, 234), SimulatorInstance.Ids(page));
    }

    [Fact]
    public async Task RangePastTheEndIsEmptyAndTheCursorDoesNotMove()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=1501&toIndex=2000");

        Assert.Equal(PagedSimulatorFixture.Total, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(1500, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Empty(SimulatorInstance.Ids(page));
    }

    [Theory]
    [InlineData(7, 7, new[] { 100_007 })]
    [InlineData(10, 12, new[] { 100_010, 100_011, 100_012 })]
    [InlineData(1234, 1234, new[] { 101_234 })]
    public async Task ToIndexIsInclusive(int from, int to, int[] expectedIds)
    {
        using var page = await _simulator.GetPageAsync($"fromIndex={from}&toIndex={to}");

        Assert.Equal(expectedIds, SimulatorInstance.Ids(page));
        Assert.Equal(to, page.RootElement.GetProperty("lastIndexId").GetInt32());
    }

    [Fact]
    public async Task MoreThan500RecordsAreRefusedWithTheReason()
    {
        using var response = await _simulator.GetDossiersAsync("fromIndex=1&toIndex=501");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """{"error":"range_too_large","message":"Requested 501 records (fromIndex=1, toIndex=501); at most 500 per call."}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("toIndex=10", "missing_parameter", "fromIndex is required: the 1-based index of the first record to return.")]
    [InlineData("fromIndex=1", "missing_parameter", "toIndex is required: the 1-based index of the last record to return, inclusive.")]
    [InlineData("fromIndex=0&toIndex=10", "invalid_parameter", "fromIndex must be 1 or more (indexes are 1-based); was 0.")]
    [InlineData("fromIndex=-5&toIndex=10", "invalid_parameter", "fromIndex must be 1 or more (indexes are 1-based); was -5.")]
    [InlineData("fromIndex=10&toIndex=9", "invalid_parameter", "toIndex must not be less than fromIndex (toIndex is inclusive); was fromIndex=10, toIndex=9.")]
    [InlineData("fromIndex=abc&toIndex=10", "invalid_parameter", "fromIndex must be a whole number; was 'abc'.")]
    [InlineData("fromIndex=1&toIndex=1.5", "invalid_parameter", "toIndex must be a whole number; was '1.5'.")]
    [InlineData("fromIndex=1&toIndex=99999999999", "invalid_parameter", "toIndex must be a whole number; was '99999999999'.")]
    [InlineData("fromIndex=1&fromIndex=2&toIndex=10", "invalid_parameter", "fromIndex must be given once; was given 2 times.")]
    [InlineData("fromIndex=1&toIndex=10&lastModifiedFrom=2024/01/01", "invalid_parameter", "lastModifiedFrom must be a date in yyyy-MM-dd form; was '2024/01/01'.")]
    [InlineData("fromIndex=1&toIndex=10&lastModifiedFrom=2024-02-01&lastModifiedTo=2024-01-01", "invalid_parameter", "lastModifiedFrom must not be after lastModifiedTo; was 2024-02-01 > 2024-01-01.")]
    public async Task BadParametersAreRefusedWithTheReason(string query, string error, string message)
    {
        using var response = await _simulator.GetDossiersAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DossiersHaveTheDocumentedFieldsAndARealisticSize()
    {
        using var page = await _simulator.GetPageAsync("fromIndex=1&toIndex=500");
        var dossiers = page.RootElement.GetProperty("dossiers").EnumerateArray().ToList();

        string[] documented =
        [
            "ID", "dossierType", "dossierCategory", "firstName", "lastName", "fullName", "netWorth", "netWorthCurrency",
            "primaryCompany", "position", "country", "lastModified",
        ];
        Assert.All(dossiers, dossier => Assert.Equal(documented, dossier.EnumerateObject().Take(documented.Length).Select(p => p.Name)));
        Assert.All(dossiers, dossier =>
        {
            Assert.Equal($"{dossier.GetProperty("firstName").GetString()} {dossier.GetProperty("lastName").GetString()}", dossier.GetProperty("fullName").GetString());
            Assert.Contains(dossier.GetProperty("dossierCategory").GetString(), Categories);
            Assert.Equal("USD", dossier.GetProperty("netWorthCurrency").GetString());
            Assert.True(DateOnly.TryParseExact(dossier.GetProperty("lastModified").GetString(), "yyyy-MM-dd", out _));
            Assert.NotEmpty(dossier.GetProperty("career").EnumerateArray());
            Assert.NotEmpty(dossier.GetProperty("education").EnumerateArray());
        });

        var averageBytes = dossiers.Average(dossier => System.Text.Encoding.UTF8.GetByteCount(dossier.GetRawText()));
        Assert.InRange(averageBytes, 3_500, 6_000);
    }

    [Fact]
    public async Task OtherPathsUnderTheApiAreAnEmpty404()
    {
        using var response = await _simulator.Http.GetAsync("/wealthx/rest/v1/dossier/100001");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthEndpointsAnswer200()
    {
        using var health = await _simulator.Http.GetAsync("/health");
        using var adminHealth = await _simulator.Http.GetAsync("/_admin/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminHealth.StatusCode);
        Assert.Equal("127.0.0.1", _simulator.BaseAddress.Host);
        Assert.NotEqual(0, _simulator.BaseAddress.Port);
    }
}
