namespace Tributary.Connectors.Tests.TrueLayer;

/// <summary>The auth host over loopback: the dialog's code exchanged, refresh tokens rotated, refusals explained.</summary>
public sealed class TrueLayerAuthClientTests
{
    private const string Scope = "info accounts balance cards transactions offline_access";

    [Fact]
    public async Task TheCodeOfTheDialogsRedirectExchangesForTokensThatReadTheConsent()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (code, state) = await simulator.ConsentInDialogAsync("state-41/a b");
        var before = DateTimeOffset.UtcNow;

        var tokens = await simulator.Auth.ExchangeCodeAsync(code, CancellationToken.None);
        var after = DateTimeOffset.UtcNow;
        var consent = await simulator.Data.GetConsentAsync(tokens.AccessToken, CancellationToken.None);

        Assert.Equal("state-41/a b", state);
        Assert.Equal(Scope, tokens.Scope);
        Assert.InRange(tokens.ExpiresAt, before.AddSeconds(3600), after.AddSeconds(3600));
        Assert.NotEqual(tokens.AccessToken, tokens.RefreshToken);
        Assert.Equal(("mock", "Mock Bank"), (consent.ProviderId, consent.ProviderName));
        var own = simulator.Consent(consent.CredentialsId!);
        Assert.Equal((DateTimeOffset?)own.ExpiresAt, consent.ConsentExpiresAt);
        Assert.Equal(own.CreatedAt.AddDays(90), own.ExpiresAt);
    }

    [Fact]
    public async Task ACodeUsedTwiceIsInvalidGrantAndTheMessageNeverHoldsTheCode()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var (code, _) = await simulator.ConsentInDialogAsync("s");
        await simulator.Auth.ExchangeCodeAsync(code, CancellationToken.None);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Auth.ExchangeCodeAsync(code, CancellationToken.None));

        Assert.Equal(("truelayer", (int?)400, false, "invalid_grant"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "TrueLayer refused the authorization code (invalid_grant): it has expired, was used already or was issued for another redirect URI (TrueLayer:RedirectUri); "
            + "connect the bank again through GET /api/truelayer/connect.",
            failure.Message);
        AssertHoldsNoSecret(failure, code);
    }

    [Fact]
    public async Task ARefreshRotatesTheTokensAndTheSpentRefreshTokenIsInvalidGrant()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var created = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0 });
        var first = created.GetProperty("refresh_token").GetString()!;

        var second = await simulator.Auth.RefreshAsync(first, CancellationToken.None);
        var consent = await simulator.Data.GetConsentAsync(second.AccessToken, CancellationToken.None);
        var spent = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Auth.RefreshAsync(first, CancellationToken.None));
        var third = await simulator.Auth.RefreshAsync(second.RefreshToken, CancellationToken.None);

        Assert.NotEqual(first, second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
        Assert.Equal(created.GetProperty("credentials_id").GetString(), consent.CredentialsId);
        Assert.Equal(("truelayer", (int?)400, false, "invalid_grant"), (spent.Upstream, spent.StatusCode, spent.IsTransient, spent.ErrorCode));
        Assert.Equal(
            "TrueLayer refused the connection's refresh token (invalid_grant): the bank consent has expired or been revoked; reconnect the bank through GET /api/truelayer/connect.",
            spent.Message);
        AssertHoldsNoSecret(spent, first, second.AccessToken, second.RefreshToken);
    }

    [Fact]
    public async Task AnExpiredConsentRefusesTheRefreshWithTheSameAdvice()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var created = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0 });
        await simulator.PostAdminAsync($"/_admin/truelayer/consents/{created.GetProperty("credentials_id").GetString()}/expire");
        var refreshToken = created.GetProperty("refresh_token").GetString()!;

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Auth.RefreshAsync(refreshToken, CancellationToken.None));

        Assert.Equal(((int?)400, false, "invalid_grant"), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.StartsWith("TrueLayer refused the connection's refresh token (invalid_grant): ", failure.Message, StringComparison.Ordinal);
        AssertHoldsNoSecret(failure, refreshToken);
    }

    [Fact]
    public async Task AWrongClientSecretIsInvalidClientNamingTheSettingsNotTheValue()
    {
        const string wrongSecret = "wrong-secret-0b7e2c";
        await using var simulator = await TrueLayerSimulator.StartAsync(new Dictionary<string, string?> { ["TrueLayer:ClientSecret"] = wrongSecret });
        var created = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0 });
        var refreshToken = created.GetProperty("refresh_token").GetString()!;

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Auth.RefreshAsync(refreshToken, CancellationToken.None));

        Assert.Equal(((int?)401, false, "invalid_client"), (failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "TrueLayer refused the client credentials (invalid_client): check TrueLayer:ClientId and TrueLayer:ClientSecret; retrying will not help.",
            failure.Message);
        AssertHoldsNoSecret(failure, refreshToken, wrongSecret);
    }

    [Fact]
    public async Task TooManyTokenRequestsIsTransientWithTheRetryAfterSent()
    {
        await using var simulator = await TrueLayerSimulator.StartAsync();
        var created = await simulator.CreateConsentAsync(new { accounts = 1, cards = 0 });
        await simulator.AddFaultAsync(new { route = "truelayer.token", kind = "429", count = 1, retryAfterSeconds = 7 });
        var refreshToken = created.GetProperty("refresh_token").GetString()!;

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Auth.RefreshAsync(refreshToken, CancellationToken.None));
        var next = await simulator.Auth.RefreshAsync(refreshToken, CancellationToken.None);

        Assert.Equal(((int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7), "provider_too_many_requests"), (failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            "TrueLayer refused POST connect/token with 429 Too Many Requests: The provider is rate limiting requests; retry after 7 s. "
            + "TrueLayer is rate limiting this client: wait 7 s (Retry-After) before calling again.",
            failure.Message);
        Assert.NotEqual(refreshToken, next.RefreshToken);
    }

    internal static void AssertHoldsNoSecret(Exception failure, params string[] secrets)
    {
        var text = failure.ToString();
        foreach (var secret in secrets.Append(TrueLayerSimulator.ClientSecret))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
