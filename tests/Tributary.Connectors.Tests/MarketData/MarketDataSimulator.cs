using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.MarketData;
using Tributary.Simulators;
using Tributary.Simulators.MarketData;
using Tributary.Simulators.RequestLog;

namespace Tributary.Connectors.Tests.MarketData;

/// <summary>
/// The real simulators, started in-process on a free loopback port with real Kestrel and a fixed clock, and a
/// <see cref="MarketDataClient"/> built the way a host builds it (<c>AddMarketDataClient</c> over configuration)
/// pointing at them.
/// </summary>
public sealed class MarketDataSimulator : IAsyncDisposable
{
    public const string ApiKey = "connector-test-key-0123456789";

    /// <summary>Wednesday 25 November 2026, 14:30 UTC: a business day, so "latest" is that day's close.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ServiceProvider _services;

    private MarketDataSimulator(WebApplication app, Uri address, ServiceProvider services)
    {
        App = app;
        Address = address;
        _services = services;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client = services.GetRequiredService<MarketDataClient>();
    }

    public WebApplication App { get; }

    /// <summary>Where the simulators listen, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The connector under test.</summary>
    public MarketDataClient Client { get; }

    /// <summary>The simulator's own feed, to compute the values the connector must return.</summary>
    public MarketDataFeed Feed => App.Services.GetRequiredService<MarketDataFeed>();

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts the simulators and a client; <paramref name="clientSettings"/> override the client's <c>MarketData</c>
    /// settings (<c>"MarketData:Timeout" = "00:00:00.300"</c>), <paramref name="simulatorSettings"/> the simulators'.
    /// </summary>
    public static async Task<MarketDataSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        params string[] simulatorSettings)
    {
        var app = SimulatorApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                $"--Simulators:MarketData:ApiKey={ApiKey}",
                .. simulatorSettings.Select(setting => $"--{setting}"),
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(new FixedClock(Now)));
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
            ["MarketData:BaseUrl"] = new Uri(address, "marketdata/v1").ToString(),
            ["MarketData:ApiKey"] = ApiKey,
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(Now));
        services.AddMarketDataClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new MarketDataSimulator(app, address, services.BuildServiceProvider(validateScopes: true));
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestLogAsync(string query = "") =>
        (await Admin.GetFromJsonAsync<List<RequestLogEntry>>($"/_admin/requests{query}", Json))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary><paramref name="count"/> symbols FT0001, FT0002, ...</summary>
    public static string[] Symbols(int count) => [.. Enumerable.Range(1, count).Select(i => $"FT{i:D4}")];
}
