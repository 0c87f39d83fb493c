using System.Net;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>History older than 90 days is readable only within ScaWindowMinutes of the last authorisation.</summary>
public sealed class TrueLayerScaTests
{
    private const string OldHistory = "from=2026-08-17&to=2026-11-25";
    private const string RecentHistory = "from=2026-09-01&to=2026-11-25";

    [Fact]
    public async Task OldHistoryIsScaExceededOnceTheAdminApiAgesTheWindow()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0, transactionsPerAccount = 100, historyDays = 100 });
        var token = consent.GetProperty("access_token").GetString()!;
        var id = TrueLayerInstance.AccountIds(consent)[0];

        var inWindow = await simulator.GetResultsAsync($"accounts/{id}/transactions?{OldHistory}", token);
        await simulator.AdminPostAsync($"consents/{consent.GetProperty("credentials_id").GetString()}/sca-expired");
        using var old = await simulator.GetAsync($"accounts/{id}/transactions?{OldHistory}", token);
        var recent = await simulator.GetResultsAsync($"accounts/{id}/transactions?{RecentHistory}", token);

        Assert.Equal(100, inWindow.Length);
        var (error, description) = await TrueLayerInstance.ReadErrorAsync(old, HttpStatusCode.Forbidden);
        Assert.Equal("sca_exceeded", error);
        Assert.StartsWith("Transactions older than 90 days can only be read within 5 minutes", description, StringComparison.Ordinal);
        Assert.Equal(85, recent.Length);
    }

    [Fact]
    public async Task TheWindowIsScaWindowMinutesOfTheClockAndACodeExchangeOpensItAgain()
    {
        await using var simulator = await TrueLayerInstance.StartAsync("Simulators:TrueLayer:TransactionsPerAccount=100", "Simulators:TrueLayer:HistoryDays=100");
        using var dialog = await simulator.Http.GetAsync($"/truelayer/auth/?response_type=code&client_id=tributary-sim&redirect_uri={Uri.EscapeDataString(TrueLayerInstance.RedirectUri)}");
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(dialog.Headers.Location!.Query)["code"].ToString();
        simulator.Clock.Advance(TimeSpan.FromMinutes(4));
        using var exchange = await simulator.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = TrueLayerInstance.RedirectUri });
        var token = (await TrueLayerInstance.ReadAsync(exchange, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        var id = TrueLayerInstance.Values(await simulator.GetResultsAsync("accounts", token), "account_id")[0];

        simulator.Clock.Advance(TimeSpan.FromMinutes(5));
        using var atTheEdge = await simulator.GetAsync($"accounts/{id}/transactions?{OldHistory}", token);
        simulator.Clock.Advance(TimeSpan.FromSeconds(1));
        using var past = await simulator.GetAsync($"accounts/{id}/transactions?{OldHistory}", token);

        Assert.Equal(HttpStatusCode.OK, atTheEdge.StatusCode);
        Assert.Equal("sca_exceeded", (await TrueLayerInstance.ReadErrorAsync(past, HttpStatusCode.Forbidden)).Error);
    }
}
