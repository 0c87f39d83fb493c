using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Tests;

/// <summary>Bad settings stop start-up with a sentence naming the setting.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Simulators:WealthX:TotalDossiers=-1", "Simulators:WealthX:TotalDossiers must be 0..50000000, was -1.")]
    [InlineData("Simulators:WealthX:Username= ", "Simulators:WealthX:Username must be set: the value clients send in the 'username' header.")]
    [InlineData("Simulators:Faults:0:Route=*", "Simulators:Faults:0:Kind must be one of 429, 5xx, latency, malformed, reset; was missing.")]
    [InlineData("Simulators:TrueLayer:HistoryDays=0", "Simulators:TrueLayer:HistoryDays must be 1..3650, was 0.")]
    [InlineData("Simulators:TrueLayer:ClientSecret= ", "Simulators:TrueLayer:ClientSecret must be set: the client_secret the token endpoint accepts.")]
    [InlineData("Simulators:RequestLog:Capacity=0", "Simulators:RequestLog:Capacity must be 1..10000000, was 0.")]
    [InlineData("Simulators:AiPlatform:ApiKey= ", "Simulators:AiPlatform:ApiKey must be set: the value clients send in the 'X-API-Key' header.")]
    [InlineData("Simulators:AiPlatform:TokenSeconds=0", "Simulators:AiPlatform:TokenSeconds must be 1..86400, was 0.")]
    [InlineData("Simulators:AiPlatform:LatencyMs=-1", "Simulators:AiPlatform:LatencyMs must be 0..600000, was -1.")]
    [InlineData("Simulators:AiPlatform:LatencyJitterMs=10", "Simulators:AiPlatform:LatencyJitterMs must be 0..0, was 10.")]
    public async Task AnInvalidSettingFailsStartUp(string setting, string message)
    {
        await using var app = SimulatorInstance.Build(
            $"Simulators:WealthX:Username={SimulatorInstance.Username}",
            $"Simulators:WealthX:Password={SimulatorInstance.Password}",
            setting);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, failure.Failures);
    }

    [Fact]
    public async Task AFaultRuleForAnUnknownRouteFailsStartUp()
    {
        await using var app = SimulatorInstance.Build(
            $"Simulators:WealthX:Username={SimulatorInstance.Username}",
            $"Simulators:WealthX:Password={SimulatorInstance.Password}",
            "Simulators:Faults:0:Route=wealthx.nothing",
            "Simulators:Faults:0:Kind=reset");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(
            "Simulators:Faults:0:Route must name a simulated route ('aiplatform.analyses', 'aiplatform.login', 'dropbox.delete', 'dropbox.delete_batch', 'dropbox.delete_batch_check', 'dropbox.list_folder', 'dropbox.list_folder_continue', 'dropbox.notfound', 'dropbox.token', 'dropbox.upload', 'dropbox.upload_session', 'keycloak.auth', 'keycloak.authenticate', 'keycloak.notfound', 'keycloak.token', 'marketdata.history', 'marketdata.indices', 'marketdata.notfound', 'marketdata.quotes', 'truelayer.account', 'truelayer.accounts', 'truelayer.dialog', 'truelayer.me', 'truelayer.notfound', 'truelayer.pending', 'truelayer.token', 'truelayer.transactions', 'vestr.graphql', 'wealthx.alldossiers', 'wealthx.notfound') or be '*'; was 'wealthx.nothing'.",
            failure.Failures);
    }
}
