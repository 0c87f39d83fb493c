using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.WealthX;
using Tributary.Simulators;
using Tributary.Simulators.RequestLog;
using Tributary.Testing;

namespace Tributary.Connectors.Tests.WealthX;

/// <summary>
/// The real simulators, started in-process on a free loopback port with real Kestrel and the dev credentials, and
/// a <see cref="WealthXClient"/> built the way a host builds it (<c>AddWealthXClient</c> over configuration)
/// pointing at them.
/// </summary>
public sealed class WealthXSimulator : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ServiceProvider _services;

    private WealthXSimulator(WebApplication app, Uri address, ServiceProvider services)
    {
        App = app;
        Address = address;
        _services = services;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client = services.GetRequiredService<WealthXClient>();
    }

    public WebApplication App { get; }

    /// <summary>Where the simulators listen, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The API root the client is pointed at.</summary>
    public Uri BaseUrl => new(Address, "wealthx/rest/v1/");

    /// <summary>The connector under test.</summary>
    public WealthXClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts the simulators and a client; <paramref name="clientSettings"/> override the client's <c>WealthX</c>
    /// settings (<c>"WealthX:Timeout" = "00:00:00.300"</c>), <paramref name="simulatorSettings"/> the simulators'.
    /// </summary>
    public static async Task<WealthXSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        params string[] simulatorSettings)
    {
        var app = SimulatorApp.Build([
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Simulators:WealthX:Username={Simulator.WealthXUser}",
            $"--Simulators:WealthX:Password={Simulator.WealthXPassword}",
            .. simulatorSettings.Select(setting => $"--{setting}"),
        ]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = SimulatorApp.ListeningAddresses(app).Single();
        var settings = new Dictionary<string, string?>
        {
            ["WealthX:BaseUrl"] = new Uri(address, "wealthx/rest/v1").ToString(),
            ["WealthX:Username"] = Simulator.WealthXUser,
            ["WealthX:Password"] = Simulator.WealthXPassword,
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddWealthXClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new WealthXSimulator(app, address, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>
    /// A client built from <paramref name="options"/> as given, skipping the options validator: the only way to send
    /// a request the client would otherwise refuse, to see what the simulator answers.
    /// </summary>
    public WealthXClient UnvalidatedClient(WealthXOptions options) =>
        new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, Options.Create(options), TimeProvider.System);

    public async Task SetTotalAsync(int totalDossiers)
    {
        using var response = await Admin.PutAsJsonAsync("/_admin/wealthx/total", new { totalDossiers });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task ReviseAsync(int id, string lastModified)
    {
        using var response = await Admin.PostAsJsonAsync($"/_admin/wealthx/dossiers/{id}/revisions", new { lastModified });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestLogAsync() =>
        (await Admin.GetFromJsonAsync<List<RequestLogEntry>>("/_admin/requests", Json))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
