using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tributary.TrueLayer;

namespace Tributary.Cluster.Tests.TrueLayer;

/// <summary>The connection grain is the one writer of a connection's rotating refresh token, whichever silo asks.</summary>
public sealed class TokenRotationTests
{
    [Fact]
    public async Task Two_silos_asking_for_a_fresh_token_at_once_cause_one_refresh_and_both_get_a_working_token()
    {
        await using var simulator = await Simulator.StartAsync();
        await using var cluster = await TributaryTestCluster.StartAsync("truelayer_rotation", o => o.WithSilos(2).WithSettings(simulator.TrueLayerSettings()));
        var consent = await (await simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents", new { accounts = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        var connectionId = "conn_rotation0000000000";
        var linked = await cluster.Grains.GetGrain<IConnectionGrain>(connectionId)
            .Link(new ConnectionLink("test user", null, consent.GetProperty("refresh_token").GetString()));
        Assert.Null(linked.Problem);
        Assert.Equal(1, await RefreshesAsync(simulator));

        var factories = cluster.Cluster.Silos.Select(s => s.SiloHost.Services.GetRequiredService<IGrainFactory>()).ToList();
        Assert.Equal(2, factories.Count);
        var current = (await factories[0].GetGrain<IConnectionGrain>(connectionId).GetAccessToken()).AccessToken!;

        // Both silos were told the current token was refused, at the same moment: one refresh serves both.
        var grants = await Task.WhenAll(factories.Select(f => f.GetGrain<IConnectionGrain>(connectionId).GetAccessToken(current)));

        Assert.Equal(2, await RefreshesAsync(simulator));
        Assert.All(grants, g => Assert.Null(g.Problem));
        Assert.Equal(grants[0].AccessToken, grants[1].AccessToken);
        Assert.NotEqual(current, grants[0].AccessToken);
        using var data = new HttpClient { BaseAddress = simulator.Address };
        foreach (var grant in grants)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/truelayer/api/data/v1/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", grant.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await data.SendAsync(request)).StatusCode);
        }
    }

    private static async Task<int> RefreshesAsync(Simulator simulator) =>
        (await simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/truelayer")).GetProperty("grants").GetProperty("refresh_token").GetInt32();
}
