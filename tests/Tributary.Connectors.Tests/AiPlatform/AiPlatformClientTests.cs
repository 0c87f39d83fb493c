using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tributary.Connectors.AiPlatform;

namespace Tributary.Connectors.Tests.AiPlatform;

/// <summary>The AI platform client against the simulated platform over loopback: login, analyses, and every refusal it explains.</summary>
public sealed class AiPlatformClientTests
{
    private static readonly JsonNode Summary = JsonNode.Parse("""{"Market Value":1250000.5,"Top Asset":"NESN.SW","Holdings":12}""")!;

    [Fact]
    public async Task ALoginGivesATokenThatExpiresAtTheReplyTimePlusExpiresIn()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync(simulatorSettings: ["Simulators:AiPlatform:TokenSeconds=900"]);

        var token = await simulator.Client.LoginAsync(AiPlatformSimulator.Username, AiPlatformSimulator.Password, CancellationToken.None);

        Assert.Equal(AiPlatformSimulator.Start.AddSeconds(900), token.ExpiresAt);
        Assert.Equal(43, token.AccessToken.Length);
        Assert.Equal($"AiPlatformToken {{ AccessToken = ***, ExpiresAt = {token.ExpiresAt:O} }}", token.ToString());
        Assert.Equal("""{"logins":1,"analyses":0,"analysesBySection":{}}""", await simulator.SnapshotAsync());
    }

    [Fact]
    public async Task AWrongPasswordIsAPermanentInvalidCredentialsThatNeverShowsThePassword()
    {
        const string wrong = "wrong-password-8d3f1a";
        await using var simulator = await AiPlatformSimulator.StartAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.LoginAsync(AiPlatformSimulator.Username, wrong, CancellationToken.None));

        Assert.Equal(("aiplatform", (int?)401, false, "invalid_credentials", (TimeSpan?)null), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode, failure.RetryAfter));
        Assert.Equal("The AI platform refused the login of this user (invalid_credentials): check the user name and password.", failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, wrong);
    }

    [Theory]
    [InlineData("AiPlatform:ApiKey", "wrong-key-3e9b77c1")]
    [InlineData("AiPlatform:TenantId", "other-tenant")]
    public async Task AWrongKeyOrTenantIsAPermanent403NamingBothSettings(string setting, string value)
    {
        await using var simulator = await AiPlatformSimulator.StartAsync(new Dictionary<string, string?> { [setting] = value });

        var failure = await Assert.ThrowsAsync<UpstreamException>(
            () => simulator.Client.LoginAsync(AiPlatformSimulator.Username, AiPlatformSimulator.Password, CancellationToken.None));

        Assert.Equal(("aiplatform", (int?)403, false, "forbidden"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "The AI platform refused POST auth/login with 403 Forbidden: The API key in the X-API-Key header is not valid for the tenant in the X-Tenant-Id header. "
            + "The platform does not accept this API key for this tenant: check AiPlatform:ApiKey and AiPlatform:TenantId; retrying will not help.",
            failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, "wrong-key-3e9b77c1");
    }

    [Fact]
    public async Task AnAnalysisIsTheSimulatorsDeterministicTextAndTheSameTwice()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();

        var first = await simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None);
        var second = await simulator.Client.AnalyzeAsync(token, "summary", JsonNode.Parse("""{ "Holdings": 12, "Top Asset": "NESN.SW", "Market Value": 1250000.5 }""")!, CancellationToken.None);
        var movers = await simulator.Client.AnalyzeAsync(token, "movers", new JsonArray("AAPL", "MSFT"), CancellationToken.None);

        Assert.Equal(
            new AiPlatformAnalysis(
                "summary",
                "Analysis of the summary section: 3 fields reviewed (data fingerprint 6e6833464717c87a). The section is balanced; the current positioning can be kept.",
                "sim-analyst-1",
                37),
            first);
        Assert.Equal(first, second);
        Assert.Equal(AiPlatformSimulator.Expected("movers", new JsonArray("AAPL", "MSFT")), movers);
        Assert.Equal("""{"logins":1,"analyses":3,"analysesBySection":{"movers":1,"summary":2}}""", await simulator.SnapshotAsync());
    }

    [Fact]
    public async Task AnExpiredTokenIsAPermanentInvalidTokenThatNeverShowsTheToken()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();
        await simulator.PostAdminAsync("/_admin/aiplatform/expire-tokens");

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None));

        Assert.Equal(("aiplatform", (int?)401, false, "invalid_token"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "The AI platform refused the access token (invalid_token) for POST v1/analyses: it is unknown or has expired; log in again.",
            failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task TooManyRequestsIsTransientWithTheRetryAfterSent()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();
        await simulator.AddFaultAsync(new { route = "aiplatform.analyses", kind = "429", count = 1, retryAfterSeconds = 7 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None));
        var next = await simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None);

        Assert.Equal(
            ("aiplatform", (int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7), "rate_limited"),
            (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            "The AI platform refused POST v1/analyses with 429 Too Many Requests: Too many requests; retry after 7 s. "
            + "The platform is rate limiting this client: wait 7 s (Retry-After) before calling again.",
            failure.Message);
        Assert.Equal(AiPlatformSimulator.Expected("summary", Summary), next);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Theory]
    [InlineData("aiplatform.login", 503, "Service Unavailable")]
    [InlineData("aiplatform.analyses", 502, "Bad Gateway")]
    public async Task AServerErrorIsTransient(string route, int status, string reason)
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();
        await simulator.AddFaultAsync(new { route, kind = "5xx", count = 1, status });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => CallAsync(simulator, route, token));

        var call = route == "aiplatform.login" ? "auth/login" : "v1/analyses";
        Assert.Equal(("aiplatform", (int?)status, true, "unavailable"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            $"The AI platform refused POST {call} with {status} {reason}: The AI platform failed with status {status}; try again later. "
            + "This is usually passing: retry later; if it persists, check the platform's status.",
            failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Theory]
    [InlineData("aiplatform.login")]
    [InlineData("aiplatform.analyses")]
    public async Task AMalformedBodyIsTransient(string route)
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();
        await simulator.AddFaultAsync(new { route, kind = "malformed", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => CallAsync(simulator, route, token));

        var call = route == "aiplatform.login" ? "auth/login" : "v1/analyses";
        Assert.Equal(("aiplatform", (int?)200, true, (TimeSpan?)null), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(failure.InnerException);
        Assert.StartsWith($"The AI platform answered POST {call} with a body that is not the expected JSON (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "). This is usually a truncated reply: retry later; if it persists, the platform's format has changed and this client needs updating.",
            failure.Message,
            StringComparison.Ordinal);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task AConnectionResetIsTransientWithoutStatus()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync();
        var token = await simulator.TokenAsync();
        await simulator.AddFaultAsync(new { route = "aiplatform.analyses", kind = "reset", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None));

        Assert.Equal(("aiplatform", (int?)null, true), (failure.Upstream, failure.StatusCode, failure.IsTransient));
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.StartsWith(
            $"The connection to the AI platform at {simulator.Address.GetLeftPart(UriPartial.Authority)} failed during POST v1/analyses (",
            failure.Message,
            StringComparison.Ordinal);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task AnAnalysisSlowerThanTheTimeoutIsTransientWithoutStatus()
    {
        // The simulator holds the analysis for ten minutes of its real clock; the client's fake clock passes its
        // 60 s timeout as soon as the request has arrived, so nothing waits for real.
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var simulator = await AiPlatformSimulator.StartAsync(
            simulatorSettings: ["Simulators:AiPlatform:LatencyMs=600000"],
            answer: context =>
            {
                if (context.Request.Path.StartsWithSegments("/aiplatform/v1/analyses", StringComparison.Ordinal))
                {
                    arrived.TrySetResult();
                }

                return Task.FromResult(false);
            });
        var token = await simulator.TokenAsync();

        var analysis = simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None);
        await arrived.Task;
        simulator.Clock.Advance(TimeSpan.FromSeconds(60));
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => analysis);

        Assert.Equal(("aiplatform", (int?)null, true), (failure.Upstream, failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "The AI platform did not answer POST v1/analyses within 60 s (AiPlatform:Timeout). This is usually passing: retry later; if the platform is just slow, raise AiPlatform:Timeout.",
            failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure, token);
    }

    [Fact]
    public async Task APasswordOrKeyTheUpstreamEchoesIsMasked()
    {
        await using var simulator = await AiPlatformSimulator.StartAsync(answer: async context =>
        {
            if (!context.Request.Path.StartsWithSegments("/aiplatform/auth/login", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $$"""{"error":"invalid_request","message":"Login of tributary-sim with {{AiPlatformSimulator.Password}} and key {{AiPlatformSimulator.ApiKey}} failed."}""");
            return true;
        });

        var failure = await Assert.ThrowsAsync<UpstreamException>(
            () => simulator.Client.LoginAsync(AiPlatformSimulator.Username, AiPlatformSimulator.Password, CancellationToken.None));

        Assert.Equal(("aiplatform", (int?)400, false, "invalid_request"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "The AI platform refused POST auth/login with 400 Bad Request: Login of tributary-sim with *** and key *** failed. "
            + "The request itself is wrong (the login body, or the section or its data); fix it, retrying will not help.",
            failure.Message);
        AiPlatformSimulator.AssertHoldsNoSecret(failure);
    }

    /// <summary>The login, or an analysis with <paramref name="token"/>, by the simulated route's name.</summary>
    private static async Task CallAsync(AiPlatformSimulator simulator, string route, string token)
    {
        if (route == "aiplatform.login")
        {
            await simulator.Client.LoginAsync(AiPlatformSimulator.Username, AiPlatformSimulator.Password, CancellationToken.None);
        }
        else
        {
            await simulator.Client.AnalyzeAsync(token, "summary", Summary, CancellationToken.None);
        }
    }
}
