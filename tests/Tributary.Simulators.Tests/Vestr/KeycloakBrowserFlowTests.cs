using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Tributary.Simulators.Tests.Vestr;

/// <summary>The browser flow: login page, password form, OTP form, redirect with a code, the code's exchange.</summary>
public sealed class KeycloakBrowserFlowTests
{
    private static string AuthPath(string clientId = VestrInstance.ClientId) =>
        QueryHelpers.AddQueryString($"{VestrInstance.Realm}/protocol/openid-connect/auth", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = VestrInstance.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid",
            ["state"] = "st-42",
        });

    private static Task<HttpResponseMessage> PostFormAsync(VestrInstance simulator, string action, Dictionary<string, string> fields) =>
        simulator.Http.PostAsync(action, new FormUrlEncodedContent(fields));

    [Fact]
    public async Task TheBrowserFlowEndsInARedirectWithACodeThatIsExchangedOnce()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var loginPage = await simulator.Http.GetAsync(AuthPath());
        var loginHtml = await loginPage.Content.ReadAsStringAsync();
        var loginAction = VestrInstance.FormAction(loginHtml, "kc-form-login");
        using var otpPage = await PostFormAsync(simulator, loginAction, new() { ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password });
        var otpHtml = await otpPage.Content.ReadAsStringAsync();
        var otpAction = VestrInstance.FormAction(otpHtml, "kc-otp-login-form");
        using var redirect = await PostFormAsync(simulator, otpAction, new() { ["otp"] = simulator.Otp() });
        var location = redirect.Headers.Location!;
        var query = QueryHelpers.ParseQuery(location.Query);
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = VestrInstance.ClientId,
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = VestrInstance.RedirectUri,
        };
        using var first = await simulator.TokenAsync(exchange);
        var tokens = await VestrInstance.ReadAsync(first, HttpStatusCode.OK);
        using var second = await simulator.TokenAsync(exchange);
        var admin = await simulator.Http.GetFromJsonAsync<JsonElement>("/_admin/keycloak");
        var cookies = simulator.Cookies.GetCookies(new Uri(simulator.Http.BaseAddress!, $"{VestrInstance.Realm}/login-actions/authenticate"));

        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        Assert.Equal("text/html", loginPage.Content.Headers.ContentType!.MediaType);
        Assert.Contains("&amp;execution=", loginHtml, StringComparison.Ordinal);
        Assert.StartsWith($"{simulator.Http.BaseAddress!.GetLeftPart(UriPartial.Authority)}{VestrInstance.Realm}/login-actions/authenticate?session_code=", loginAction, StringComparison.Ordinal);
        Assert.Equal(["session_code", "execution", "client_id", "tab_id"], QueryHelpers.ParseQuery(new Uri(loginAction).Query).Keys);
        Assert.Contains("name=\"username\"", loginHtml, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", loginHtml, StringComparison.Ordinal);
        Assert.Equal(["AUTH_SESSION_ID", "KC_RESTART"], cookies.Select(cookie => cookie.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, otpPage.StatusCode);
        Assert.Contains("name=\"otp\"", otpHtml, StringComparison.Ordinal);
        Assert.NotEqual(loginAction, otpAction);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(VestrInstance.RedirectUri, location.GetLeftPart(UriPartial.Path));
        Assert.Equal(["state", "session_state", "code"], query.Keys);
        Assert.Equal("st-42", query["state"].ToString());
        Assert.Equal(
            ["access_token", "expires_in", "refresh_expires_in", "refresh_token", "token_type", "scope"],
            tokens.EnumerateObject().Select(property => property.Name));
        Assert.Equal((300, 1800, "Bearer", "openid"), (tokens.GetProperty("expires_in").GetInt32(), tokens.GetProperty("refresh_expires_in").GetInt32(), tokens.GetProperty("token_type").GetString(), tokens.GetProperty("scope").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal("""{"error":"invalid_grant","error_description":"Code not valid"}""", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, admin.GetProperty("logins").GetProperty("browser").GetInt64());
        Assert.Equal(0, admin.GetProperty("logins").GetProperty("password").GetInt64());
        Assert.Equal(1, admin.GetProperty("grants").GetProperty("authorization_code").GetInt64());
    }

    [Fact]
    public async Task AWrongPasswordShowsTheLoginPageAgainWithTheError()
    {
        await using var simulator = await VestrInstance.StartAsync();
        using var loginPage = await simulator.Http.GetAsync(AuthPath());
        var action = VestrInstance.FormAction(await loginPage.Content.ReadAsStringAsync(), "kc-form-login");

        using var wrong = await PostFormAsync(simulator, action, new() { ["username"] = VestrInstance.Username, ["password"] = "nope" });
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        var retryAction = VestrInstance.FormAction(wrongHtml, "kc-form-login");
        using var right = await PostFormAsync(simulator, retryAction, new() { ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password });
        var rightHtml = await right.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal("Invalid username or password.", VestrInstance.InputError(wrongHtml));
        Assert.DoesNotContain("kc-otp-login-form", wrongHtml, StringComparison.Ordinal);
        Assert.Null(VestrInstance.InputError(rightHtml));
        Assert.Contains("id=\"kc-otp-login-form\"", rightHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongCodeShowsTheOtpPageAgainWithTheError()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var otpAction = await OtpActionAsync(simulator);
        var wrongCode = simulator.Otp(TimeSpan.FromMinutes(5));

        using var wrong = await PostFormAsync(simulator, otpAction, new() { ["otp"] = wrongCode });
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        using var right = await PostFormAsync(simulator, VestrInstance.FormAction(wrongHtml, "kc-otp-login-form"), new() { ["otp"] = simulator.Otp() });

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal("Invalid authenticator code.", VestrInstance.InputError(wrongHtml));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [Fact]
    public async Task CodesOneStepOffAreAcceptedByTheRealmsClock()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var early = await PostFormAsync(simulator, await OtpActionAsync(simulator), new() { ["otp"] = simulator.Otp(TimeSpan.FromSeconds(-30)) });
        using var late = await PostFormAsync(simulator, await OtpActionAsync(simulator), new() { ["otp"] = simulator.Otp(TimeSpan.FromSeconds(30)) });
        using var tooLate = await PostFormAsync(simulator, await OtpActionAsync(simulator), new() { ["otp"] = simulator.Otp(TimeSpan.FromSeconds(60)) });

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.OK), (early.StatusCode, late.StatusCode, tooLate.StatusCode));
    }

    [Fact]
    public async Task ClockSkewMakesACodeCorrectByOurClockFailAndTheDateHeaderShowsIt()
    {
        await using var simulator = await VestrInstance.StartAsync();
        using var skew = await simulator.Http.PutAsJsonAsync("/_admin/keycloak/clock", new { skewSeconds = 90 });
        var admin = await VestrInstance.ReadAsync(skew, HttpStatusCode.OK);
        var otpAction = await OtpActionAsync(simulator);

        using var page = await PostFormAsync(simulator, otpAction, new() { ["otp"] = simulator.Otp() });
        var html = await page.Content.ReadAsStringAsync();
        using var direct = await simulator.PasswordGrantAsync();
        using var serverCode = await simulator.PasswordGrantAsync(simulator.Otp(TimeSpan.FromSeconds(90)));

        Assert.Equal(90, admin.GetProperty("clockSkewSeconds").GetInt32());
        Assert.Equal("Invalid authenticator code.", VestrInstance.InputError(html));
        Assert.Equal(VestrInstance.Start.AddSeconds(90), page.Headers.Date);
        Assert.Equal(
            VestrInstance.Start.AddSeconds(90).ToString("R", CultureInfo.InvariantCulture),
            page.Headers.GetValues("Date").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Equal("""{"error":"invalid_grant","error_description":"Invalid authenticator code"}""", await direct.Content.ReadAsStringAsync());
        Assert.Equal(VestrInstance.Start.AddSeconds(90), direct.Headers.Date);
        Assert.Equal(HttpStatusCode.OK, serverCode.StatusCode);
    }

    [Fact]
    public async Task APostWithoutTheCookieIsKeycloaksCookieNotFoundPage()
    {
        await using var simulator = await VestrInstance.StartAsync();
        using var loginPage = await simulator.Http.GetAsync(AuthPath());
        var action = VestrInstance.FormAction(await loginPage.Content.ReadAsStringAsync(), "kc-form-login");
        using var cookieless = new HttpClient { BaseAddress = simulator.Http.BaseAddress };

        using var response = await cookieless.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password }));
        var html = await response.Content.ReadAsStringAsync();
        using var escaped = await PostFormAsync(simulator, action.Replace("&", "&amp;", StringComparison.Ordinal), new() { ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Cookie not found. Please make sure cookies are enabled in your browser.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("kc-form-login", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, escaped.StatusCode);
    }

    [Fact]
    public async Task AnUnknownClientGetsAnErrorPage()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var response = await simulator.Http.GetAsync(AuthPath(clientId: "someone-else"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Client not found.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(simulator.Cookies.GetAllCookies());
    }

    private static async Task<string> OtpActionAsync(VestrInstance simulator)
    {
        using var loginPage = await simulator.Http.GetAsync(AuthPath());
        var action = VestrInstance.FormAction(await loginPage.Content.ReadAsStringAsync(), "kc-form-login");
        using var otpPage = await PostFormAsync(simulator, action, new() { ["username"] = VestrInstance.Username, ["password"] = VestrInstance.Password });
        return VestrInstance.FormAction(await otpPage.Content.ReadAsStringAsync(), "kc-otp-login-form");
    }
}
