namespace Tributary.Connectors.Tests.Vestr;

/// <summary>The Keycloak realm over loopback: both login flows, and every refusal in words that never hold a secret.</summary>
public sealed class KeycloakLoginTests
{
    private const string WrongPassword = "wrong-password-4e9d1b";

    /// <summary>A valid base32 secret that is not the user's (RFC 6238's seed).</summary>
    private const string WrongTotpSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData("browser", "browser", "authorization_code")]
    [InlineData("direct_grant", "password", "password")]
    public async Task BothFlowsLogInWithTheUserTheCodeAndGetTokensThatVestrAccepts(string flow, string counted, string grant)
    {
        await using var simulators = await VestrSimulators.StartAsync(VestrSimulators.Flow(flow));
        var before = DateTimeOffset.UtcNow;

        var tokens = await simulators.Login.LoginAsync(CancellationToken.None);
        var after = DateTimeOffset.UtcNow;
        var realm = await simulators.KeycloakAsync();

        Assert.InRange(tokens.AccessExpiresAt, before.AddSeconds(300), after.AddSeconds(300));
        Assert.NotNull(tokens.RefreshToken);
        Assert.NotNull(tokens.RefreshExpiresAt);
        Assert.InRange(tokens.RefreshExpiresAt.Value, before.AddSeconds(1800), after.AddSeconds(1800));
        Assert.Equal(1, realm.GetProperty("logins").GetProperty(counted).GetInt64());
        Assert.Equal(1, realm.GetProperty("grants").GetProperty(grant).GetInt64());
        Assert.Equal(1, realm.GetProperty("activeAccessTokens").GetInt32());
        Assert.DoesNotContain(tokens.AccessToken, tokens.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefreshGivesNewTokensWithoutALogin()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var first = await simulators.Login.LoginAsync(CancellationToken.None);

        var second = await simulators.Login.RefreshAsync(first.RefreshToken!, CancellationToken.None);
        var realm = await simulators.KeycloakAsync();

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal((1L, 1L), (realm.GetProperty("logins").GetProperty("browser").GetInt64(), realm.GetProperty("grants").GetProperty("refresh_token").GetInt64()));
    }

    [Theory]
    [InlineData("browser", 200)]
    [InlineData("direct_grant", 401)]
    public async Task AWrongPasswordIsInvalidCredentialsNamingTheSettingsNotTheValues(string flow, int status)
    {
        await using var simulators = await VestrSimulators.StartAsync(VestrSimulators.Flow(flow, ("Vestr:Password", WrongPassword)));

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal(("keycloak", (int?)status, false, "invalid_credentials"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "Vestr's login (Keycloak) refused the username or password (Vestr:Username / Vestr:Password): check both settings, and that the Vestr user is neither disabled nor locked out in Keycloak; "
            + $"retrying will not help. Keycloak said: {(flow == "browser" ? "Invalid username or password" : "Invalid user credentials")}.",
            failure.Message);
        VestrSimulators.AssertHoldsNoSecret(failure, [WrongPassword], VestrSimulators.CodesAroundNow());
    }

    [Theory]
    [InlineData("browser", 200, "Invalid authenticator code")]
    [InlineData("direct_grant", 401, "Invalid authenticator code")]
    public async Task AWrongTotpSecretIsInvalidOtpWhenTheClocksAgree(string flow, int status, string said)
    {
        await using var simulators = await VestrSimulators.StartAsync(VestrSimulators.Flow(flow, ("Vestr:TotpSecret", WrongTotpSecret)));

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal(("keycloak", (int?)status, false, "invalid_otp"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.StartsWith(
            "Vestr's login (Keycloak) refused the authenticator code (TOTP): check Vestr:TotpSecret, the base32 secret of the Vestr user's authenticator; the clocks agree (drift ",
            failure.Message,
            StringComparison.Ordinal);
        Assert.EndsWith($" s, within Vestr:MaxClockDrift, 00:00:15). Retrying will not help. Keycloak said: {said}.", failure.Message, StringComparison.Ordinal);
        VestrSimulators.AssertHoldsNoSecret(failure, [WrongTotpSecret], VestrSimulators.CodesAroundNow(), VestrSimulators.CodesAroundNow(WrongTotpSecret));
    }

    [Theory]
    [InlineData("browser", 200)]
    [InlineData("direct_grant", 401)]
    public async Task AServerClockNinetySecondsAheadIsReportedAsClockDrift(string flow, int status)
    {
        await using var simulators = await VestrSimulators.StartAsync(VestrSimulators.Flow(flow));
        await simulators.PutAdminAsync("/_admin/keycloak/clock", new { skewSeconds = 90 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal(("keycloak", (int?)status, false, "clock_drift"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "Vestr's login (Keycloak) refused the authenticator code (TOTP) with a clock drift of 90 s: TOTP codes will fail; fix the system clock "
            + "(the drift is Keycloak's clock, from its Date header, minus this host's, in whole seconds: positive when Keycloak is ahead; more than Vestr:MaxClockDrift, 00:00:15, apart). "
            + "Synchronise this host's or Keycloak's clock (NTP); if both are right, check Vestr:TotpSecret. Keycloak said: Invalid authenticator code.",
            failure.Message);
        VestrSimulators.AssertHoldsNoSecret(failure, VestrSimulators.CodesAroundNow());
    }

    [Fact]
    public async Task AServerClockBehindIsANegativeDrift()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        await simulators.PutAdminAsync("/_admin/keycloak/clock", new { skewSeconds = -120 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal("clock_drift", failure.ErrorCode);
        Assert.Contains("with a clock drift of -120 s: TOTP codes will fail; fix the system clock", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongClientIsRefusedOnTheLoginPage()
    {
        await using var simulators = await VestrSimulators.StartAsync(new Dictionary<string, string?> { ["Vestr:ClientId"] = "not-vestr-app" });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal(("keycloak", (int?)400, false), (failure.Upstream, failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "Vestr's login (Keycloak) refused GET login page with 400 Bad Request: Client not found. "
            + "The login request itself is wrong: check Vestr:KeycloakUrl, Vestr:ClientId, Vestr:RedirectUri and Vestr:LoginFlow; retrying will not help.",
            failure.Message);
    }

    [Fact]
    public async Task AnUnavailableTokenEndpointIsTransient()
    {
        await using var simulators = await VestrSimulators.StartAsync(VestrSimulators.Flow("direct_grant"));
        await simulators.AddFaultAsync(new { route = "keycloak.token", kind = "5xx", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));
        var tokens = await simulators.Login.LoginAsync(CancellationToken.None);

        Assert.Equal(("keycloak", (int?)503, true), (failure.Upstream, failure.StatusCode, failure.IsTransient));
        Assert.StartsWith("Vestr's login (Keycloak) refused POST protocol/openid-connect/token (direct grant) with 503 Service Unavailable", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(tokens.RefreshToken);
        VestrSimulators.AssertHoldsNoSecret(failure, VestrSimulators.CodesAroundNow());
    }

    [Fact]
    public async Task NoCookieOfTheLoginAppearsInARefusal()
    {
        var cookies = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var simulators = await VestrSimulators.StartAsync(
            VestrSimulators.Flow("browser", ("Vestr:TotpSecret", WrongTotpSecret)),
            answer: context =>
            {
                context.Response.OnStarting(() =>
                {
                    foreach (var setCookie in context.Response.Headers.SetCookie)
                    {
                        cookies.Add(setCookie![(setCookie!.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)]);
                    }

                    return Task.CompletedTask;
                });
                return Task.FromResult(false);
            });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Login.LoginAsync(CancellationToken.None));

        Assert.Equal("invalid_otp", failure.ErrorCode);
        Assert.Equal(2, cookies.Count);
        VestrSimulators.AssertHoldsNoSecret(failure, cookies, [WrongTotpSecret]);
    }
}
