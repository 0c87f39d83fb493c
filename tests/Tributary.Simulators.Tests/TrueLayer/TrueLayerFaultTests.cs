using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tributary.Simulators.RequestLog;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>Faults on TrueLayer routes carry TrueLayer's error body; pathContains narrows a rule to one account.</summary>
public sealed class TrueLayerFaultTests
{
    [Fact]
    public async Task APathContainsRuleFailsOneAccountForGoodAndNoOther()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync(new { accounts = 2, cards = 0, transactionsPerAccount = 10 });
        var token = consent.GetProperty("access_token").GetString()!;
        var ids = TrueLayerInstance.AccountIds(consent);
        var rule = await simulator.AddFaultAsync(new { route = "truelayer.transactions", kind = "5xx", status = 503, pathContains = $"/accounts/{ids[0]}/" });

        using var first = await simulator.GetAsync($"accounts/{ids[0]}/transactions", token);
        using var second = await simulator.GetAsync($"accounts/{ids[0]}/transactions", token);
        using var otherAccount = await simulator.GetAsync($"accounts/{ids[1]}/transactions", token);
        using var otherRoute = await simulator.GetAsync($"accounts/{ids[0]}/transactions/pending", token);
        var faults = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/faults");
        var log = (await simulator.Http.GetFromJsonAsync<List<RequestLogEntry>>("/_admin/requests?route=truelayer.transactions", TrueLayerInstance.Json))!;

        Assert.Equal($"/accounts/{ids[0]}/", rule.PathContains);
        Assert.Equal(
            ("provider_error", "The provider failed with status 503; try again later."),
            await TrueLayerInstance.ReadErrorAsync(first, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherRoute.StatusCode);
        Assert.Equal(2, faults[0].GetProperty("fired").GetInt64());
        Assert.Equal([(503, "5xx"), (503, "5xx"), (200, null)], log.Select(entry => (entry.Status ?? 0, entry.Fault)));
    }

    [Theory]
    [InlineData("truelayer.token", "429", null, 429, "provider_too_many_requests")]
    [InlineData("truelayer.accounts", "5xx", 504, 504, "provider_timeout")]
    [InlineData("truelayer.me", "5xx", 500, 500, "provider_error")]
    public async Task InjectedFaultsCarryTrueLayersErrorBody(string route, string kind, int? status, int expected, string error)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();
        var token = consent.GetProperty("access_token").GetString()!;
        await simulator.AddFaultAsync(status is null ? new { route, kind, count = 1, retryAfterSeconds = 7 } : new { route, kind, count = 1, status });

        using var response = route == "truelayer.token"
            ? await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = consent.GetProperty("refresh_token").GetString()! })
            : await simulator.GetAsync(route == "truelayer.me" ? "me" : "accounts", token);

        Assert.Equal(error, (await TrueLayerInstance.ReadErrorAsync(response, (HttpStatusCode)expected)).Error);
        if (expected == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        }
    }
}
