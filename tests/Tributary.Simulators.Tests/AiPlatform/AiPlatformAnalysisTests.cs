using System.Net;
using System.Text.Json;
using Tributary.Simulators.AiPlatform;

namespace Tributary.Simulators.Tests.AiPlatform;

/// <summary>The analyses: deterministic text, 401 for a token the platform does not know, 400 for a bad body, the latency knob, the counts.</summary>
public sealed class AiPlatformAnalysisTests
{
    private const string Summary = """{"section":"summary","data":{"Market Value":1250000.5,"Top Asset":"NESN.SW","Holdings":12}}""";

    /// <summary>The same data as <see cref="Summary"/>, properties in another order and spaced out.</summary>
    private const string SummaryReordered = """
        { "data": { "Top Asset": "NESN.SW", "Holdings": 12, "Market Value": 1250000.5 }, "section": "summary" }
        """;

    [Fact]
    public async Task TheSameSectionAndDataGiveTheSameTextWhateverThePropertyOrder()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();

        using var first = await platform.AnalyseAsync(token, Summary);
        var reply = await AiPlatformInstance.ReadAsync(first, HttpStatusCode.OK);
        using var again = await platform.AnalyseAsync(token, SummaryReordered);
        var repeated = await AiPlatformInstance.ReadAsync(again, HttpStatusCode.OK);
        using var other = await platform.AnalyseAsync(token, """{"section":"summary","data":{"Market Value":1250000.75,"Top Asset":"NESN.SW","Holdings":12}}""");
        var changed = await AiPlatformInstance.ReadAsync(other, HttpStatusCode.OK);

        Assert.Equal(["section", "analysis", "model", "tokens"], reply.EnumerateObject().Select(property => property.Name));
        // Pinned: the same request must get the same text in every process and every version of the simulator.
        Assert.Equal(
            """{"section":"summary","analysis":"Analysis of the summary section: 3 fields reviewed (data fingerprint 6e6833464717c87a). The section is balanced; the current positioning can be kept.","model":"sim-analyst-1","tokens":37}""",
            reply.GetRawText());
        Assert.Equal(reply.GetRawText(), repeated.GetRawText());
        Assert.NotEqual(reply.GetProperty("analysis").GetString(), changed.GetProperty("analysis").GetString());
    }

    [Fact]
    public async Task TheTextIsTheAnalystsForAnyJsonAndTheCountsFollowTheSections()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();
        string[] bodies =
        [
            """{"section":"movers","data":[{"symbol":"AAPL","change":1.5},{"symbol":"MSFT","change":-0.4}]}""",
            """{"section":"allocation","data":{"assets":[],"total_portfolio_mv":0}}""",
            """{"section":"movers","data":"no movers today"}""",
        ];

        var replies = new List<string>();
        foreach (var body in bodies)
        {
            using var response = await platform.AnalyseAsync(token, body);
            replies.Add((await AiPlatformInstance.ReadAsync(response, HttpStatusCode.OK)).GetRawText());
        }

        var admin = await platform.AdminAsync();

        Assert.Equal(bodies.Select(Expected), replies);
        Assert.Equal("""{"logins":1,"analyses":3,"analysesBySection":{"allocation":1,"movers":2}}""", admin.GetRawText());
    }

    [Fact]
    public async Task AMissingUnknownOrExpiredTokenIs401InvalidToken()
    {
        await using var platform = await AiPlatformInstance.StartAsync("Simulators:AiPlatform:TokenSeconds=60");
        var expiring = await platform.TokenAsync();
        platform.Clock.Advance(TimeSpan.FromSeconds(59));
        using var lastSecond = await platform.AnalyseAsync(expiring, Summary);
        platform.Clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await platform.AnalyseAsync(expiring, Summary);
        var expiredByAdmin = await platform.TokenAsync();
        await platform.PostAdminAsync("/_admin/aiplatform/expire-tokens");

        using var none = await platform.AnalyseAsync(null, Summary);
        using var unknown = await platform.AnalyseAsync("not-a-token-of-this-platform", Summary);
        using var afterAdmin = await platform.AnalyseAsync(expiredByAdmin, Summary);

        Assert.Equal(HttpStatusCode.OK, lastSecond.StatusCode);
        foreach (var response in new[] { expired, none, unknown, afterAdmin })
        {
            Assert.Equal("""{"error":"invalid_token"}""", await AiPlatformInstance.BodyAsync(response, HttpStatusCode.Unauthorized));
        }

        Assert.Equal("""{"logins":2,"analyses":1,"analysesBySection":{"summary":1}}""", (await platform.AdminAsync()).GetRawText());
    }

    [Fact]
    public async Task AWrongKeyIs403EvenWithAGoodToken()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();

        using var response = await platform.AnalyseAsync(token, Summary, apiKey: "wrong-key-0b1d");

        Assert.Equal(
            """{"error":"forbidden","message":"The API key in the X-API-Key header is not valid for the tenant in the X-Tenant-Id header."}""",
            await AiPlatformInstance.BodyAsync(response, HttpStatusCode.Forbidden));
    }

    [Theory]
    [InlineData("", "The body must be a JSON object with section and data.")]
    [InlineData("{\"section\":\"summary\",", "The body must be a JSON object with section and data.")]
    [InlineData("\"summary\"", "The body must be a JSON object with section and data.")]
    [InlineData("{\"data\":{\"a\":1}}", "section is required: the name of the portfolio section to analyse, a non-empty string.")]
    [InlineData("{\"section\":\"\",\"data\":{\"a\":1}}", "section is required: the name of the portfolio section to analyse, a non-empty string.")]
    [InlineData("{\"section\":7,\"data\":{\"a\":1}}", "section is required: the name of the portfolio section to analyse, a non-empty string.")]
    [InlineData("{\"section\":\"summary\"}", "data is required: the data of the section, any JSON value but null.")]
    [InlineData("{\"section\":\"summary\",\"data\":null}", "data is required: the data of the section, any JSON value but null.")]
    public async Task AMissingSectionOrDataIs400InvalidRequest(string sent, string message)
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();

        using var response = await platform.AnalyseAsync(token, sent);

        Assert.Equal(
            $$"""{"error":"invalid_request","message":"{{message}}"}""",
            await AiPlatformInstance.BodyAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(0, (await platform.AdminAsync()).GetProperty("analyses").GetInt64());
    }

    [Fact]
    public async Task TheLatencyKnobHoldsEachAnalysisUntilTheClockHasMovedThatFar()
    {
        await using var platform = await AiPlatformInstance.StartAsync("Simulators:AiPlatform:LatencyMs=250");
        var token = await platform.TokenAsync();
        var waiting = platform.Clock.TimerCreated(TimeSpan.FromMilliseconds(250));

        var analysis = platform.AnalyseAsync(token, Summary);
        await waiting;
        platform.Clock.Advance(TimeSpan.FromMilliseconds(249));
        var countedEarly = (await platform.AdminAsync()).GetProperty("analyses").GetInt64();
        var doneEarly = analysis.IsCompleted;
        platform.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await analysis;
        var reply = await AiPlatformInstance.ReadAsync(response, HttpStatusCode.OK);

        Assert.False(doneEarly);
        Assert.Equal(0, countedEarly);
        Assert.Equal(Expected(Summary), reply.GetRawText());
        Assert.Equal(1, (await platform.AdminAsync()).GetProperty("analyses").GetInt64());
    }

    [Fact]
    public async Task WithJitterEachAnalysisTakesTheNextLatencyOfItsSeededSequence()
    {
        await using var platform = await AiPlatformInstance.StartAsync(
            "Simulators:AiPlatform:LatencyMs=250", "Simulators:AiPlatform:LatencyJitterMs=50", "Simulators:AiPlatform:LatencyJitterSeed=7");
        var token = await platform.TokenAsync();
        // The same seed gives the same offsets, in order: 250 ms moved by each, within 200..300 ms.
        var sequence = new Random(7);
        var expected = Enumerable.Range(0, 3).Select(_ => TimeSpan.FromMilliseconds(250 + sequence.Next(-50, 51))).ToList();
        Assert.All(expected, latency => Assert.InRange(latency.TotalMilliseconds, 200, 300));

        foreach (var latency in expected)
        {
            var waiting = platform.Clock.TimerCreated(latency);
            var analysis = platform.AnalyseAsync(token, Summary);
            await waiting;
            platform.Clock.Advance(latency - TimeSpan.FromMilliseconds(1));
            var doneEarly = analysis.IsCompleted;
            platform.Clock.Advance(TimeSpan.FromMilliseconds(1));
            using var response = await analysis;

            Assert.False(doneEarly, $"the analysis answered before its {latency.TotalMilliseconds} ms");
            Assert.Equal(Expected(Summary), (await AiPlatformInstance.ReadAsync(response, HttpStatusCode.OK)).GetRawText());
        }
    }

    [Fact]
    public async Task ResetForgetsTokensAndZeroesTheCounts()
    {
        await using var platform = await AiPlatformInstance.StartAsync();
        var token = await platform.TokenAsync();
        using var before = await platform.AnalyseAsync(token, Summary);

        var reset = await platform.PostAdminAsync("/_admin/aiplatform/reset");
        using var after = await platform.AnalyseAsync(token, Summary);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("""{"logins":0,"analyses":0,"analysesBySection":{}}""", reset.GetRawText());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    /// <summary>The reply the analyst writes for a request body, serialized as the platform sends it.</summary>
    private static string Expected(string body)
    {
        using var request = JsonDocument.Parse(body);
        var root = request.RootElement;
        return JsonSerializer.Serialize(
            SectionAnalyst.Analyse(root.GetProperty("section").GetString()!, root.GetProperty("data")),
            AiPlatformJsonContext.Default.AnalysisReply);
    }
}
