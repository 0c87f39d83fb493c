using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tributary.Connectors.AiPlatform;
using Tributary.Simulators.AiPlatform;

namespace Tributary.Connectors.Tests.AiPlatform;

/// <summary>
/// The real simulators, started in-process on a free loopback port with real Kestrel, and an
/// <see cref="AiPlatformClient"/> built the way a host builds it (<c>AddAiPlatformClient</c> over configuration) on a
/// fake clock, pointing at them.
/// </summary>
public sealed class AiPlatformSimulator : IAsyncDisposable
{
    public const string Username = "tributary-sim";

    public const string Password = "sim-ai-password-dev-only";

    public const string ApiKey = "sim-ai-key-dev-only";

    public const string TenantId = "tributary";

    /// <summary>The client's clock at start: Wednesday 25 November 2026, 14:30 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private AiPlatformSimulator(WebApplication app, Uri address, ServiceProvider services, FakeTimeProvider clock)
    {
        App = app;
        Address = address;
        _services = services;
        Clock = clock;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client = services.GetRequiredService<AiPlatformClient>();
    }

    public WebApplication App { get; }

    /// <summary>Where the simulators listen, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The connector under test.</summary>
    public AiPlatformClient Client { get; }

    /// <summary>The client's clock (the simulators keep the real one): token expiry and call timeouts are read from it.</summary>
    public FakeTimeProvider Clock { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts the simulators and a client; <paramref name="clientSettings"/> override the client's <c>AiPlatform</c>
    /// settings, <paramref name="simulatorSettings"/> (<c>Simulators:AiPlatform:LatencyMs=250</c>) the simulators';
    /// <paramref name="answer"/> runs in front of the simulators for the requests it chooses.
    /// </summary>
    public static async Task<AiPlatformSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        IReadOnlyList<string>? simulatorSettings = null,
        Func<HttpContext, Task<bool>>? answer = null)
    {
        var (app, address) = await LoopbackSimulators.StartAsync((simulatorSettings ?? []).Select(setting => $"--{setting}"), answer);
        var settings = new Dictionary<string, string?>
        {
            ["AiPlatform:BaseUrl"] = new Uri(address, "aiplatform/").ToString(),
            ["AiPlatform:ApiKey"] = ApiKey,
            ["AiPlatform:TenantId"] = TenantId,
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var clock = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAiPlatformClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new AiPlatformSimulator(app, address, services.BuildServiceProvider(validateScopes: true), clock);
    }

    /// <summary>A token of the simulators' user.</summary>
    public async Task<string> TokenAsync() => (await Client.LoginAsync(Username, Password, CancellationToken.None)).AccessToken;

    /// <summary>The analysis the simulator's analyst writes for <paramref name="section"/> and <paramref name="data"/>.</summary>
    public static AiPlatformAnalysis Expected(string section, JsonNode data)
    {
        using var document = JsonDocument.Parse(data.ToJsonString());
        var reply = SectionAnalyst.Analyse(section, document.RootElement);
        return new AiPlatformAnalysis(reply.Section, reply.Analysis, reply.Model, reply.Tokens);
    }

    /// <summary><c>GET /_admin/aiplatform</c>, as its JSON text.</summary>
    public async Task<string> SnapshotAsync() => await Admin.GetStringAsync("/_admin/aiplatform");

    public async Task PostAdminAsync(string path)
    {
        using var response = await Admin.PostAsync(path, content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Fails when the failure's text (message, inner ones and stack) holds the password, the API key or any of <paramref name="more"/>.</summary>
    public static void AssertHoldsNoSecret(Exception failure, params string[] more)
    {
        var text = failure.ToString();
        foreach (var secret in more.Concat([Password, ApiKey]))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
