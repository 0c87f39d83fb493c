using Microsoft.AspNetCore.Builder;
using Tributary.Simulators;

namespace Tributary.Testing;

/// <summary>The upstream simulators on a real loopback port, for silo processes to call.</summary>
public sealed class Simulator : IAsyncDisposable
{
    /// <summary>The simulators' dev-only market-data key (simulators/appsettings.json).</summary>
    public const string MarketDataKey = "sim-marketdata-key-dev-only";

    /// <summary>The simulators' dev-only WealthX credentials.</summary>
    public const string WealthXUser = "tributary-sim";

    public const string WealthXPassword = "sim-password-dev-only";

    private readonly WebApplication _app;

    private Simulator(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Admin = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>A client for the admin routes (faults, request log).</summary>
    public HttpClient Admin { get; }

    public static async Task<Simulator> StartAsync()
    {
        // Every setting it needs is passed here: a test's output folder holds one appsettings.json, not the simulators'.
        var app = SimulatorApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Simulators:MarketData:ApiKey={MarketDataKey}",
            $"--Simulators:WealthX:Username={WealthXUser}",
            $"--Simulators:WealthX:Password={WealthXPassword}",
        ]);
        await app.StartAsync();
        return new Simulator(app, SimulatorApp.ListeningAddresses(app)[0]);
    }

    /// <summary>Silo settings that point the market-data connector here.</summary>
    public Dictionary<string, string> MarketDataSettings() => new()
    {
        ["MarketData:BaseUrl"] = new Uri(Address, "/marketdata/v1/").ToString(),
        ["MarketData:ApiKey"] = MarketDataKey,
    };

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.DisposeAsync();
    }
}
