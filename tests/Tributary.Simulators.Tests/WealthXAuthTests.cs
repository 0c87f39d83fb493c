using System.Net;

namespace Tributary.Simulators.Tests;

/// <summary>Header authentication: username, password, and apikey when one is configured.</summary>
public sealed class WealthXAuthTests(PagedSimulatorFixture fixture) : IClassFixture<PagedSimulatorFixture>
{
    private const string Query = "fromIndex=1&toIndex=1";

    [Theory]
    [InlineData(null, null)]
    [InlineData(SimulatorInstance.Username, null)]
    [InlineData(null, SimulatorInstance.Password)]
    [InlineData(SimulatorInstance.Username, "wrong-password")]
    [InlineData("wrong-user", SimulatorInstance.Password)]
    public async Task MissingOrWrongCredentialsGetAnEmpty401(string? username, string? password)
    {
        using var response = await fixture.Simulator.GetDossiersAsync(Query, username, password);

        await AssertEmpty401(response);
    }

    [Fact]
    public async Task WithoutAConfiguredApiKeyTheHeaderIsNotRequired()
    {
        using var response = await fixture.Simulator.GetDossiersAsync(Query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AConfiguredApiKeyIsEnforced()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:ApiKey=key-123", "Simulators:WealthX:TotalDossiers=10");

        using var missing = await simulator.GetDossiersAsync(Query);
        using var wrong = await simulator.GetDossiersAsync(Query, apiKey: "key-999");
        using var right = await simulator.GetDossiersAsync(Query, apiKey: "key-123");

        await AssertEmpty401(missing);
        await AssertEmpty401(wrong);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private static async Task AssertEmpty401(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
