using System.Net;
using System.Text.Json;

namespace Tributary.Simulators.Tests.AiPlatform;

/// <summary>The shared fault layer applies to both routes of the platform, with its JSON error body, and the request log records it.</summary>
public sealed class AiPlatformFaultTests
{
    private const string Body = """{"section":"summary","data":{"Market Value":1250000.5}}""";

    [Fact]
    public async Task ATooManyRequestsFaultOnAnalysesIsSentWithRetryAfterAndLogged()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();
        await platform.AddFaultAsync(new { route = "aiplatform.analyses", kind = "429", count = 1, retryAfterSeconds = 7 });

        using var limited = await platform.AnalyseAsync(token, Body);
        using var next = await platform.AnalyseAsync(token, Body);
        var log = await platform.GetRequestLogAsync("?route=aiplatform.analyses");

        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(
            """{"error":"rate_limited","message":"Too many requests; retry after 7 s."}""",
            await AiPlatformInstance.BodyAsync(limited, HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(
            [("aiplatform.analyses", "/aiplatform/v1/analyses", (int?)429, (string?)"429"), ("aiplatform.analyses", "/aiplatform/v1/analyses", 200, null)],
            log.Select(entry => (entry.Route, entry.PathAndQuery, entry.Status, entry.Fault)));
        Assert.Equal(1, (await platform.AdminAsync()).GetProperty("analyses").GetInt64());
    }

    [Fact]
    public async Task AServerErrorFaultOnLoginSendsTheStatusWithAJsonBody()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        await platform.AddFaultAsync(new { route = "aiplatform.login", kind = "5xx", count = 1, status = 502 });

        using var failed = await platform.LoginAsync();
        using var next = await platform.LoginAsync();

        Assert.Equal(
            """{"error":"unavailable","message":"The AI platform failed with status 502; try again later."}""",
            await AiPlatformInstance.BodyAsync(failed, HttpStatusCode.BadGateway));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, (await platform.AdminAsync()).GetProperty("logins").GetInt64());
    }

    [Fact]
    public async Task AMalformedFaultOnAnalysesSendsHalfTheRealReply()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();
        using var whole = await platform.AnalyseAsync(token, Body);
        var complete = await whole.Content.ReadAsByteArrayAsync();
        await platform.AddFaultAsync(new { route = "aiplatform.analyses", kind = "malformed", count = 1 });

        using var response = await platform.AnalyseAsync(token, Body);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(complete[..(complete.Length / 2)], body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task AResetFaultOnAnalysesDropsTheConnection()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();
        await platform.AddFaultAsync(new { route = "aiplatform.analyses", kind = "reset", count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => platform.AnalyseAsync(token, Body));
        using var next = await platform.AnalyseAsync(token, Body);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(
            [(int?)null, 200],
            (await platform.GetRequestLogAsync("?route=aiplatform.analyses")).Select(entry => entry.Status));
    }
}
