using System.Net.Http.Json;
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

    /// <param name="settings">More simulator settings, e.g. <c>Simulators:WealthX:TotalDossiers</c>.</param>
    public static async Task<Simulator> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        // Every setting it needs is passed here: a test's output folder holds one appsettings.json, not the simulators'.
        var app = SimulatorApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Simulators:MarketData:ApiKey={MarketDataKey}",
            $"--Simulators:WealthX:Username={WealthXUser}",
            $"--Simulators:WealthX:Password={WealthXPassword}",
            .. (settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"),
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

    /// <summary>
    /// Silo settings that point the WealthX pull here, with its schedule switched off (tests start sessions
    /// themselves) and, when given, another password (WealthX then answers 401).
    /// </summary>
    public Dictionary<string, string> WealthXSettings(string? password = null) => new()
    {
        ["WealthX:BaseUrl"] = new Uri(Address, "/wealthx/rest/v1/").ToString(),
        ["WealthX:Username"] = WealthXUser,
        ["WealthX:Password"] = password ?? WealthXPassword,
        ["Jobs:wealthx_default:Schedule:Cron"] = "0 0 1 1 *",
        ["Jobs:wealthx_default:Schedule:Enabled"] = "false",
    };

    /// <summary>The simulators' dev-only TrueLayer client (simulators/appsettings.json).</summary>
    public const string TrueLayerClientId = "tributary-sim";

    public const string TrueLayerClientSecret = "sim-truelayer-secret-dev-only";

    /// <summary>
    /// Silo settings that point the TrueLayer connector here (the dialog returns to <paramref name="redirectUri"/>, or to a
    /// loopback address nobody listens on when the test links connections by refresh token), with the key ring key the
    /// tokens are sealed with.
    /// </summary>
    public Dictionary<string, string> TrueLayerSettings(Uri? redirectUri = null) => new()
    {
        ["TrueLayer:AuthUrl"] = new Uri(Address, "/truelayer/auth/").ToString(),
        ["TrueLayer:DataUrl"] = new Uri(Address, "/truelayer/api/").ToString(),
        ["TrueLayer:ClientId"] = TrueLayerClientId,
        ["TrueLayer:ClientSecret"] = TrueLayerClientSecret,
        ["TrueLayer:RedirectUri"] = (redirectUri ?? new Uri("http://127.0.0.1:9/api/truelayer/callback")).ToString(),
        ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
    };

    /// <summary>The simulators' dev-only Vestr login (Keycloak realm <c>vestr</c>, simulators/appsettings.json).</summary>
    public const string VestrUser = "tributary-sim";

    public const string VestrPassword = "sim-vestr-password-dev-only";

    public const string VestrTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    /// <summary>Silo settings that point the Vestr fee sync here (its schedule stays paused: tests start syncs themselves).</summary>
    public Dictionary<string, string> VestrSettings(string? password = null)
    {
        var settings = new Dictionary<string, string>(PausedIntegratedSync)
        {
            ["Vestr:KeycloakUrl"] = new Uri(Address, "/keycloak/realms/vestr/").ToString(),
            ["Vestr:GraphQlUrl"] = new Uri(Address, "/vestr/graphql").ToString(),
            ["Vestr:Username"] = VestrUser,
            ["Vestr:Password"] = password ?? VestrPassword,
            ["Vestr:TotpSecret"] = VestrTotpSecret,
        };
        return settings;
    }

    /// <summary>
    /// The integrated sync's 17:10 schedule, paused: with Vestr or the relay configured the sync is on, and a test must
    /// not meet a real 17:10 Zurich evening by chance.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PausedIntegratedSync { get; } = new Dictionary<string, string>
    {
        ["Jobs:integrated_sync:Schedule:Cron"] = "10 17 * * *",
        ["Jobs:integrated_sync:Schedule:TimeZone"] = "Europe/Zurich",
        ["Jobs:integrated_sync:Schedule:Misfire"] = "once",
        ["Jobs:integrated_sync:Schedule:Enabled"] = "false",
    };

    /// <summary>The simulators' dev-only AI platform user (simulators/appsettings.json, <c>Simulators:AiPlatform</c>).</summary>
    public const string AiPlatformUser = "tributary-sim";

    public const string AiPlatformPassword = "sim-ai-password-dev-only";

    public const string AiPlatformApiKey = "sim-ai-key-dev-only";

    /// <summary>Silo settings that make the AI platform here the analysis tasks' provider.</summary>
    public Dictionary<string, string> AiPlatformSettings() => new()
    {
        ["Tasks:Provider"] = "platform",
        ["AiPlatform:BaseUrl"] = new Uri(Address, "/aiplatform/").ToString(),
        ["AiPlatform:ApiKey"] = AiPlatformApiKey,
        ["AiPlatform:TenantId"] = "tributary",
        ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
    };

    /// <summary>The simulators' dev-only Dropbox app (simulators/appsettings.json, <c>Simulators:Dropbox</c>).</summary>
    public const string DropboxAppKey = "tributary-sim";

    public const string DropboxAppSecret = "sim-dropbox-secret-dev-only";

    public const string DropboxRefreshToken = "sim-dropbox-refresh-dev-only";

    /// <summary>Silo settings that point the Dropbox client here.</summary>
    public Dictionary<string, string> DropboxSettings() => new()
    {
        ["Dropbox:OAuthUrl"] = new Uri(Address, "dropbox").ToString(),
        ["Dropbox:ApiUrl"] = new Uri(Address, "dropbox/api").ToString(),
        ["Dropbox:ContentUrl"] = new Uri(Address, "dropbox/content/").ToString(),
        ["Dropbox:AppKey"] = DropboxAppKey,
        ["Dropbox:AppSecret"] = DropboxAppSecret,
        ["Dropbox:RefreshToken"] = DropboxRefreshToken,
        ["Dropbox:DeleteBatchPollInterval"] = "00:00:00.050",
    };

    /// <summary>The request log (<c>/_admin/requests</c>), of one route (e.g. <c>wealthx.alldossiers</c>) or all, in arrival order.</summary>
    public async Task<IReadOnlyList<Tributary.Simulators.RequestLog.RequestLogEntry>> RequestsAsync(string? route = null) =>
        (await Admin.GetFromJsonAsync<List<Tributary.Simulators.RequestLog.RequestLogEntry>>(
            "/_admin/requests" + (route is null ? string.Empty : $"?route={Uri.EscapeDataString(route)}")))!
        .OrderBy(e => e.Sequence)
        .ToList();

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.DisposeAsync();
    }
}
