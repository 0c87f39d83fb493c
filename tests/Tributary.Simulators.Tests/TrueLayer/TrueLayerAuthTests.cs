using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>The auth dialog, the code and refresh grants (single-use codes, rotating refresh tokens) and consent expiry.</summary>
public sealed class TrueLayerAuthTests
{
    private static string DialogPath(string clientId = TrueLayerInstance.ClientId, string redirectUri = TrueLayerInstance.RedirectUri, string state = "s 1&x=/?") =>
        QueryHelpers.AddQueryString("/truelayer/auth/", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = "info accounts balance transactions offline_access",
            ["state"] = state,
            ["providers"] = "uk-ob-all uk-oauth-all",
        });

    [Fact]
    public async Task TheDialogRedirectsWithACodeThatIsExchangedOnce()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        using var dialog = await simulator.Http.GetAsync(DialogPath(redirectUri: "https://gateway.example/callback?tenant=7"));
        var location = dialog.Headers.Location!;
        var query = QueryHelpers.ParseQuery(location.Query);
        var code = query["code"].ToString();
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = "https://gateway.example/callback?tenant=7",
        };
        using var first = await simulator.TokenAsync(exchange);
        var tokens = await TrueLayerInstance.ReadAsync(first, HttpStatusCode.OK);
        using var second = await simulator.TokenAsync(exchange);
        var me = Assert.Single(await simulator.GetResultsAsync("me", tokens.GetProperty("access_token").GetString()!));
        var admin = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/truelayer");

        Assert.Equal(HttpStatusCode.Redirect, dialog.StatusCode);
        Assert.Equal("https://gateway.example/callback", location.GetLeftPart(UriPartial.Path));
        Assert.Equal(["tenant", "code", "state"], query.Keys);
        Assert.Equal("7", query["tenant"].ToString());
        Assert.Equal("s 1&x=/?", query["state"].ToString());
        Assert.Equal(
            ["access_token", "expires_in", "token_type", "refresh_token", "scope"],
            tokens.EnumerateObject().Select(property => property.Name));
        Assert.Equal((3600, "Bearer", "info accounts balance transactions offline_access"), (tokens.GetProperty("expires_in").GetInt32(), tokens.GetProperty("token_type").GetString(), tokens.GetProperty("scope").GetString()));
        Assert.Equal(43, tokens.GetProperty("access_token").GetString()!.Length);
        Assert.Equal("invalid_grant", (await TrueLayerInstance.ReadErrorAsync(second, HttpStatusCode.BadRequest)).Error);
        Assert.Equal(("tributary-sim", "Authorised", "mock"), (me.GetProperty("client_id").GetString(), me.GetProperty("consent_status").GetString(), me.GetProperty("provider").GetProperty("provider_id").GetString()));
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T14:30:00Z"), me.GetProperty("consent_created_at").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2027-02-23T14:30:00Z"), me.GetProperty("consent_expires_at").GetDateTimeOffset());
        Assert.Equal(1, admin.GetProperty("consents").GetInt32());
        Assert.Equal(1, admin.GetProperty("grants").GetProperty("authorization_code").GetInt64());
        Assert.Equal(0, admin.GetProperty("grants").GetProperty("refresh_token").GetInt64());
    }

    [Fact]
    public async Task ACodeIsBoundToItsRedirectUriAndExpiresAfterFiveMinutes()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        string Code(HttpResponseMessage dialog) => QueryHelpers.ParseQuery(dialog.Headers.Location!.Query)["code"].ToString();
        using var dialog1 = await simulator.Http.GetAsync(DialogPath());
        using var dialog2 = await simulator.Http.GetAsync(DialogPath());

        using var wrongRedirect = await simulator.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = Code(dialog1), ["redirect_uri"] = "https://elsewhere.example/cb" });
        simulator.Clock.Advance(TimeSpan.FromMinutes(5));
        using var late = await simulator.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = Code(dialog2), ["redirect_uri"] = TrueLayerInstance.RedirectUri });

        Assert.Equal(
            ("invalid_grant", "redirect_uri does not match the one the authorization code was issued for."),
            await TrueLayerInstance.ReadErrorAsync(wrongRedirect, HttpStatusCode.BadRequest));
        Assert.Equal(
            ("invalid_grant", "The authorization code expired: codes are valid for 5 minutes after the dialog."),
            await TrueLayerInstance.ReadErrorAsync(late, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("client_id=someone-else&response_type=code&redirect_uri=https%3A%2F%2Fa.example%2Fcb", "invalid_client", "client_id 'someone-else' is not a known client.")]
    [InlineData("client_id=tributary-sim&response_type=token&redirect_uri=https%3A%2F%2Fa.example%2Fcb", "unsupported_response_type", "response_type must be 'code'; was 'token'.")]
    [InlineData("client_id=tributary-sim&response_type=code&redirect_uri=%2Frelative", "invalid_request", "redirect_uri must be an absolute http or https URI; was '/relative'.")]
    [InlineData("client_id=tributary-sim&response_type=code&redirect_uri=javascript%3Aalert(1)", "invalid_request", "redirect_uri must be an absolute http or https URI; was 'javascript:alert(1)'.")]
    public async Task ABadDialogRequestIsA400AndNeverARedirect(string query, string error, string description)
    {
        await using var simulator = await TrueLayerInstance.StartAsync();

        using var response = await simulator.Http.GetAsync($"/truelayer/auth/?{query}");

        Assert.Null(response.Headers.Location);
        Assert.Equal((error, description), await TrueLayerInstance.ReadErrorAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task AWrongClientSecretIs401InvalidClient()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();

        using var response = await simulator.TokenAsync(
            new() { ["grant_type"] = "refresh_token", ["refresh_token"] = consent.GetProperty("refresh_token").GetString()! },
            clientSecret: "wrong");

        Assert.Equal("invalid_client", (await TrueLayerInstance.ReadErrorAsync(response, HttpStatusCode.Unauthorized)).Error);
    }

    [Fact]
    public async Task RefreshTokensRotateAndAUsedOneIsInvalidGrant()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();
        var credentialsId = consent.GetProperty("credentials_id").GetString()!;
        var original = consent.GetProperty("refresh_token").GetString()!;

        // JSON bodies are accepted as well as forms.
        using var first = await simulator.Http.PostAsJsonAsync("/truelayer/auth/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = TrueLayerInstance.ClientId,
            ["client_secret"] = TrueLayerInstance.ClientSecret,
            ["refresh_token"] = original,
        });
        var rotated = (await TrueLayerInstance.ReadAsync(first, HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;
        using var reused = await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = original });
        using var second = await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = rotated });
        var admin = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/truelayer");

        Assert.NotEqual(original, rotated);
        Assert.Equal(
            ("invalid_grant", "The refresh token is not valid: it is unknown or was already used (refresh tokens rotate; use the latest one)."),
            await TrueLayerInstance.ReadErrorAsync(reused, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, admin.GetProperty("grants").GetProperty("refresh_token").GetInt64());
        Assert.Equal(2, admin.GetProperty("refreshesByCredentials").GetProperty(credentialsId).GetInt64());
    }

    [Fact]
    public async Task AConsentExpiredByTheAdminApiRefusesRefreshWithInvalidGrant()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();

        var state = await simulator.AdminPostAsync($"consents/{consent.GetProperty("credentials_id").GetString()}/expire");
        using var refresh = await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = consent.GetProperty("refresh_token").GetString()! });

        Assert.True(state.GetProperty("expired").GetBoolean());
        var (error, description) = await TrueLayerInstance.ReadErrorAsync(refresh, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", error);
        Assert.StartsWith("The consent expired at ", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConsentExpiresAfterConsentDaysAndAnAccessTokenAfterItsLifetime()
    {
        await using var simulator = await TrueLayerInstance.StartAsync();
        var consent = await simulator.CreateConsentAsync();
        var accessToken = consent.GetProperty("access_token").GetString()!;
        using var fresh = await simulator.GetAsync("me", accessToken);

        simulator.Clock.Advance(TimeSpan.FromSeconds(3600));
        using var stale = await simulator.GetAsync("me", accessToken);
        simulator.Clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromSeconds(3600));
        using var refresh = await simulator.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = consent.GetProperty("refresh_token").GetString()! });

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(
            ("invalid_token", "The access token is unknown or expired; get a new one with grant_type=refresh_token."),
            await TrueLayerInstance.ReadErrorAsync(stale, HttpStatusCode.Unauthorized));
        Assert.Equal(
            ("invalid_grant", "The consent expired at 2027-02-23T14:30:00.0000000+00:00; the user must authorise access again through the auth dialog."),
            await TrueLayerInstance.ReadErrorAsync(refresh, HttpStatusCode.BadRequest));
    }
}
