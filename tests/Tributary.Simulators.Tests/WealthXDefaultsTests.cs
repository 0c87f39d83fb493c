namespace Tributary.Simulators.Tests;

/// <summary>The shipped appsettings.json: dev credentials and the full 420,000-dossier set, served lazily.</summary>
public sealed class WealthXDefaultsTests
{
    [Fact]
    public async Task DefaultConfigurationServesTheFullSetToTheDevCredentials()
    {
        await using var simulator = await SimulatorInstance.StartRawAsync();

        using var response = await simulator.GetDossiersAsync("fromIndex=419501&toIndex=420000", "tributary-sim", "sim-password-dev-only");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var page = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(420_000, page.RootElement.GetProperty("totalDossiers").GetInt32());
        Assert.Equal(420_000, page.RootElement.GetProperty("lastIndexId").GetInt32());
        Assert.Equal(Enumerable.Range(519_501, 500), SimulatorInstance.Ids(page));
    }
}
