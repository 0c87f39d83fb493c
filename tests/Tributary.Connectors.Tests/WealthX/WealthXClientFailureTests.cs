using System.Text.Json;
using Tributary.Connectors.WealthX;
using Tributary.Testing;

namespace Tributary.Connectors.Tests.WealthX;

/// <summary>
/// Every failure is an <see cref="UpstreamException"/> that says whether a retry can help, how long to wait, and
/// what to do; no credential ever appears. Faults are injected by the real simulator over loopback.
/// </summary>
public sealed class WealthXClientFailureTests
{
    private const string Call = "alldossiers?fromIndex=1&toIndex=500";

    [Fact]
    public async Task WrongCredentialsArePermanentAndTheMessageNamesTheSettingsNotTheValues()
    {
        const string wrongPassword = "wrong-password-7c1e4a9b";
        await using var simulator = await WealthXSimulator.StartAsync(new Dictionary<string, string?> { ["WealthX:Password"] = wrongPassword });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(("wealthx", (int?)401, false, (TimeSpan?)null), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal("WealthX: credentials rejected (401). Check WealthX:Username, WealthX:Password and WealthX:ApiKey.", failure.Message);
        Assert.DoesNotContain(wrongPassword, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.WealthXPassword, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.WealthXUser, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARangeTheApiRefusesIsPermanentWithTheApisReason()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        var client = simulator.UnvalidatedClient(new WealthXOptions
        {
            BaseUrl = simulator.BaseUrl.ToString(),
            Username = Simulator.WealthXUser,
            Password = Simulator.WealthXPassword,
            ApiBatchSize = 501,
        });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => client.GetPageAsync(1, 501, CancellationToken.None));

        Assert.Equal(((int?)400, false, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            "WealthX refused GET alldossiers?fromIndex=1&toIndex=501 with 400 Bad Request: Requested 501 records (fromIndex=1, toIndex=501); at most 500 per call. "
            + "The request itself is wrong (its range or date); fix it, retrying will not help.",
            failure.Message);
        Assert.Equal((int?)400, Assert.Single(await simulator.GetRequestLogAsync()).Status);
    }

    [Fact]
    public async Task AWrongBaseUrlIsAPermanentNotFound()
    {
        await using var probe = await WealthXSimulator.StartAsync();
        await using var simulator = await WealthXSimulator.StartAsync(
            new Dictionary<string, string?> { ["WealthX:BaseUrl"] = new Uri(probe.Address, "wealthx/rest/v1/connect/").ToString() });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 10, CancellationToken.None));

        Assert.Equal(((int?)404, false), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            "WealthX refused GET alldossiers?fromIndex=1&toIndex=10 with 404 Not Found. "
            + "Check that WealthX:BaseUrl is the API root (such as http://127.0.0.1:5090/wealthx/rest/v1/); retrying will not help.",
            failure.Message);
    }

    [Fact]
    public async Task TooManyRequestsIsTransientWithTheRetryAfterSent()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "429", count = 1, retryAfterSeconds = 7 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(((int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7)), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            $"WealthX refused GET {Call} with 429 Too Many Requests. WealthX is rate limiting this client: wait 7 s (Retry-After) before calling again.",
            failure.Message);
    }

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    public async Task AServerErrorIsTransient(int status, string reason)
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "5xx", count = 1, status });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(((int?)status, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.Equal(
            $"WealthX refused GET {Call} with {status} {reason}. This is usually passing: retry later; if it persists, check WealthX's status.",
            failure.Message);
    }

    [Fact]
    public async Task AMalformedBodyIsTransient()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "malformed", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(((int?)200, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.IsAssignableFrom<JsonException>(failure.InnerException);
        Assert.StartsWith($"WealthX answered GET {Call} with a malformed body, not the expected dossier page (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "). This is usually a truncated reply: retry later; if it persists, WealthX's format has changed and this connector needs updating.",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionResetIsTransientWithoutStatus()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "reset", count = 1 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));
        var next = await simulator.Client.GetPageAsync(1, 500, CancellationToken.None);

        Assert.Equal(((int?)null, true, (TimeSpan?)null), (failure.StatusCode, failure.IsTransient, failure.RetryAfter));
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.StartsWith($"The connection to WealthX at {simulator.Address.GetLeftPart(UriPartial.Authority)} failed during GET {Call} (", failure.Message, StringComparison.Ordinal);
        Assert.Equal(500, next.Dossiers.Count);
    }

    [Fact]
    public async Task NoApiListeningIsTransientWithoutStatus()
    {
        var port = FreePorts.Next();
        await using var simulator = await WealthXSimulator.StartAsync(
            new Dictionary<string, string?> { ["WealthX:BaseUrl"] = $"http://127.0.0.1:{port}/wealthx/rest/v1/" });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(((int?)null, true), (failure.StatusCode, failure.IsTransient));
        Assert.EndsWith("This is usually passing: retry later; if it persists, check WealthX:BaseUrl and that WealthX is up.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallSlowerThanTheTimeoutIsTransientWithoutStatus()
    {
        await using var simulator = await WealthXSimulator.StartAsync(new Dictionary<string, string?> { ["WealthX:Timeout"] = "00:00:00.300" });
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "latency", count = 1, latencyMs = 30_000 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        Assert.Equal(((int?)null, true), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            $"WealthX did not answer GET {Call} within 0.3 s (WealthX:Timeout). This is usually passing: retry later; if WealthX is just slow, raise WealthX:Timeout.",
            failure.Message);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotAnUpstreamFailure()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => simulator.Client.GetPageAsync(1, 500, cancelled.Token));
    }

    [Fact]
    public async Task AFailureIsNotRetriedByTheConnector()
    {
        await using var simulator = await WealthXSimulator.StartAsync();
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "5xx", count = 1 });

        await Assert.ThrowsAsync<UpstreamException>(() => simulator.Client.GetPageAsync(1, 500, CancellationToken.None));

        var call = Assert.Single(await simulator.GetRequestLogAsync());
        Assert.Equal(((int?)503, "5xx"), (call.Status, call.Fault));
    }
}
