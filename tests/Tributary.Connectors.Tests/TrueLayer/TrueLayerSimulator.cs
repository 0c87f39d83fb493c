using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.TrueLayer;
using Sim = Tributary.Simulators.TrueLayer;

namespace Tributary.Connectors.Tests.TrueLayer;

/// <summary>
/// The real simulators, started in-process on a free loopback port with real Kestrel and the dev client
/// credentials, and the TrueLayer clients built the way a host builds them (<c>AddTrueLayerClients</c> over
/// configuration) pointing at them.
/// </summary>
public sealed class TrueLayerSimulator : IAsyncDisposable
{
    public const string ClientId = "tributary-sim";

    public const string ClientSecret = "sim-truelayer-secret-dev-only";

    /// <summary>Where the auth dialog sends the user back; nothing listens there (tests read the Location header).</summary>
    public static readonly Uri RedirectUri = new("http://127.0.0.1:9/api/truelayer/callback");

    private readonly ServiceProvider _services;

    private TrueLayerSimulator(WebApplication app, Uri address, ServiceProvider services)
    {
        App = app;
        Address = address;
        _services = services;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        Auth = services.GetRequiredService<TrueLayerAuthClient>();
        Data = services.GetRequiredService<TrueLayerDataClient>();
    }

    public WebApplication App { get; }

    /// <summary>Where the simulators listen, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public TrueLayerAuthClient Auth { get; }

    public TrueLayerDataClient Data { get; }

    public HttpClient Admin { get; }

    /// <summary>A user's browser in the auth dialog: it does not follow the redirect back to the gateway.</summary>
    public HttpClient Browser { get; }

    /// <summary>
    /// Starts the simulators and the clients; <paramref name="clientSettings"/> override the clients' <c>TrueLayer</c>
    /// settings, <paramref name="simulatorSettings"/> the simulators'.
    /// </summary>
    public static Task<TrueLayerSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        params string[] simulatorSettings) =>
        StartAsync(clientSettings, answer: null, simulatorSettings);

    /// <summary>
    /// As <see cref="StartAsync(IReadOnlyDictionary{string, string?}?, string[])"/>, with <paramref name="answer"/>
    /// in front of the simulators: a reply the simulators never give (a bank without cards, a broken envelope),
    /// written for the requests it chooses (it returns true when it answered).
    /// </summary>
    public static async Task<TrueLayerSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings,
        Func<HttpContext, Task<bool>>? answer,
        params string[] simulatorSettings)
    {
        var (app, address) = await LoopbackSimulators.StartAsync([$"--Simulators:TrueLayer:ClientId={ClientId}", $"--Simulators:TrueLayer:ClientSecret={ClientSecret}", .. simulatorSettings.Select(setting => $"--{setting}")], answer);
        var settings = new Dictionary<string, string?>
        {
            ["TrueLayer:AuthUrl"] = new Uri(address, "truelayer/auth").ToString(),
            ["TrueLayer:DataUrl"] = new Uri(address, "truelayer/api").ToString(),
            ["TrueLayer:ClientId"] = ClientId,
            ["TrueLayer:ClientSecret"] = ClientSecret,
            ["TrueLayer:RedirectUri"] = RedirectUri.ToString(),
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddTrueLayerClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new TrueLayerSimulator(app, address, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>
    /// Goes through the auth dialog as the user would, up to the redirect back: the <c>code</c> and <c>state</c> of
    /// its Location header.
    /// </summary>
    public async Task<(string Code, string State)> ConsentInDialogAsync(string state)
    {
        using var response = await Browser.GetAsync(Auth.AuthorizationUrl(state));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(RedirectUri.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    /// <summary>A connection made through the admin API: its credentials id, refresh token and accounts.</summary>
    public async Task<JsonElement> CreateConsentAsync(object? consent = null)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/truelayer/consents", consent ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"POST /_admin/truelayer/consents answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The simulator's own account or card of that id, to compute what it serves.</summary>
    public Sim.ConsentAccount Account(string accountId) =>
        App.Services.GetRequiredService<Sim.TrueLayerConsentBook>().FindAccount(accountId)
        ?? throw new InvalidOperationException($"The simulator has no account {accountId}.");

    /// <summary>The simulator's own consent of that credentials id.</summary>
    public Sim.TrueLayerConsent Consent(string credentialsId) =>
        App.Services.GetRequiredService<Sim.TrueLayerConsentBook>().FindConsent(credentialsId)
        ?? throw new InvalidOperationException($"The simulator has no consent {credentialsId}.");

    public async Task PostAdminAsync(string path)
    {
        using var response = await Admin.PostAsync(path, content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Browser.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
