using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tributary.Simulators.Tests.Vestr;

/// <summary>The direct grant (password + TOTP), refresh, client and field checks, and the admin API of the realm.</summary>
public sealed class KeycloakTokenTests
{
    [Fact]
    public async Task TheDirectGrantGivesTokensAndRefreshGivesNewOnes()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var grant = await simulator.PasswordGrantAsync();
        var tokens = await VestrInstance.ReadAsync(grant, HttpStatusCode.OK);
        using var refresh = await simulator.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = VestrInstance.ClientId,
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        });
        var refreshed = await VestrInstance.ReadAsync(refresh, HttpStatusCode.OK);
        var admin = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/keycloak");

        Assert.Equal((300, 1800, "Bearer"), (tokens.GetProperty("expires_in").GetInt32(), tokens.GetProperty("refresh_expires_in").GetInt32(), tokens.GetProperty("token_type").GetString()));
        Assert.NotEqual(tokens.GetProperty("access_token").GetString(), refreshed.GetProperty("access_token").GetString());
        Assert.NotEqual(tokens.GetProperty("refresh_token").GetString(), refreshed.GetProperty("refresh_token").GetString());
        Assert.Equal(1, admin.GetProperty("logins").GetProperty("password").GetInt64());
        Assert.Equal(1, admin.GetProperty("grants").GetProperty("password").GetInt64());
        Assert.Equal(1, admin.GetProperty("grants").GetProperty("refresh_token").GetInt64());
        Assert.Equal(0, admin.GetProperty("grants").GetProperty("authorization_code").GetInt64());
        Assert.Equal(2, admin.GetProperty("activeAccessTokens").GetInt32());
    }

    [Fact]
    public async Task DirectGrantFailuresAreInvalidGrantInvalidClientOrInvalidRequest()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var password = await simulator.PasswordGrantAsync(password: "wrong");
        using var otp = await simulator.PasswordGrantAsync(otp: simulator.Otp(TimeSpan.FromMinutes(2)));
        using var client = await simulator.TokenAsync(new() { ["grant_type"] = "password", ["client_id"] = "other", ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password, ["totp"] = simulator.Otp() });
        using var missing = await simulator.TokenAsync(new() { ["grant_type"] = "password", ["client_id"] = VestrInstance.ClientId, ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password });
        using var grantType = await simulator.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = VestrInstance.ClientId });

        Assert.Equal("""{"error":"invalid_grant","error_description":"Invalid user credentials"}""", await Body(password, HttpStatusCode.Unauthorized));
        Assert.Equal("""{"error":"invalid_grant","error_description":"Invalid authenticator code"}""", await Body(otp, HttpStatusCode.Unauthorized));
        Assert.Equal("""{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}""", await Body(client, HttpStatusCode.Unauthorized));
        Assert.Equal("invalid_request", (await VestrInstance.ReadAsync(missing, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
        Assert.Equal("unsupported_grant_type", (await VestrInstance.ReadAsync(grantType, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task RefreshTokensAndAccessTokensExpireByTheRealmsClock()
    {
        await using var simulator = await VestrInstance.StartAsync();
        using var grant = await simulator.PasswordGrantAsync();
        var tokens = await VestrInstance.ReadAsync(grant, HttpStatusCode.OK);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Dictionary<string, string> Refresh() => new() { ["grant_type"] = "refresh_token", ["client_id"] = VestrInstance.ClientId, ["refresh_token"] = refreshToken };

        simulator.Clock.Advance(TimeSpan.FromSeconds(299));
        var (_, beforeExpiry, _) = await simulator.GraphQLAsync(accessToken, "{ __typename }");
        simulator.Clock.Advance(TimeSpan.FromSeconds(1));
        var (_, afterExpiry, _) = await simulator.GraphQLAsync(accessToken, "{ __typename }");
        simulator.Clock.Advance(TimeSpan.FromSeconds(1499));
        using var lastRefresh = await simulator.TokenAsync(Refresh());
        simulator.Clock.Advance(TimeSpan.FromSeconds(1));
        using var expiredRefresh = await simulator.TokenAsync(Refresh());

        Assert.Equal("Query", beforeExpiry.GetProperty("data").GetProperty("__typename").GetString());
        Assert.Equal("UNAUTHENTICATED", afterExpiry.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, lastRefresh.StatusCode);
        Assert.Equal("""{"error":"invalid_grant","error_description":"Token is not active"}""", await Body(expiredRefresh, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task ExpireTokensMakesTheNextGraphQLCallUnauthenticatedAndResetForgetsEverything()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var accessToken = await simulator.AccessTokenAsync();
        using var skew = await simulator.Http.PutAsJsonAsync("/_admin/keycloak/clock", new { skewSeconds = -45 });

        var (_, before, _) = await simulator.GraphQLAsync(accessToken, "{ __typename }");
        using var expire = await simulator.Http.PostAsync("/_admin/keycloak/expire-tokens", content: null);
        var expired = await VestrInstance.ReadAsync(expire, HttpStatusCode.OK);
        var (status, after, text) = await simulator.GraphQLAsync(accessToken, "{ __typename }");
        using var reset = await simulator.Http.PostAsync("/_admin/keycloak/reset", content: null);
        var cleared = await VestrInstance.ReadAsync(reset, HttpStatusCode.OK);

        Assert.Equal("Query", before.GetProperty("data").GetProperty("__typename").GetString());
        Assert.Equal(0, expired.GetProperty("activeAccessTokens").GetInt32());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("UNAUTHENTICATED", after.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.False(after.TryGetProperty("data", out _), text);
        Assert.Equal(0, cleared.GetProperty("clockSkewSeconds").GetInt32());
        Assert.Equal(0, cleared.GetProperty("logins").GetProperty("password").GetInt64());
        Assert.Equal(0, cleared.GetProperty("grants").GetProperty("password").GetInt64());
    }

    [Fact]
    public async Task AClockBodyWithoutOrWithABadSkewIsA400NamingTheField()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var missing = await simulator.Http.PutAsJsonAsync("/_admin/keycloak/clock", new { });
        using var tooFar = await simulator.Http.PutAsJsonAsync("/_admin/keycloak/clock", new { skewSeconds = 100_000 });

        Assert.True((await VestrInstance.ReadAsync(missing, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("skewSeconds", out _));
        Assert.Equal(
            "skewSeconds must be -86400..86400; was 100000.",
            (await VestrInstance.ReadAsync(tooFar, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("skewSeconds")[0].GetString());
    }

    [Fact]
    public async Task OtherRealmPathsAre404WithTheRealmsDate()
    {
        await using var simulator = await VestrInstance.StartAsync();
        using var skew = await simulator.Http.PutAsJsonAsync("/_admin/keycloak/clock", new { skewSeconds = 3600 });

        using var response = await simulator.Http.GetAsync($"{VestrInstance.Realm}/account");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(VestrInstance.Start.AddHours(1), response.Headers.Date);
    }

    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
