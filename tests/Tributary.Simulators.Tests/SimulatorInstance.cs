using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Simulators.Faults;
using Tributary.Simulators.RequestLog;

namespace Tributary.Simulators.Tests;

/// <summary>
/// The simulators started in-process on a free loopback port with real Kestrel, exercised over real HTTP.
/// </summary>
public sealed class SimulatorInstance : IAsyncDisposable
{
    public const string Username = "test-user";
    public const string Password = "test-password";
    public const string AllDossiersPath = "/wealthx/rest/v1/alldossiers";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private SimulatorInstance(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts an instance with test credentials; <paramref name="settings"/> are <c>Key=Value</c> configuration
    /// overrides passed as command-line arguments, the way run.sh passes them.
    /// </summary>
    public static async Task<SimulatorInstance> StartAsync(params string[] settings)
    {
        string[] defaults =
        [
            $"Simulators:WealthX:Username={Username}",
            $"Simulators:WealthX:Password={Password}",
        ];
        return await StartRawAsync([.. defaults, .. settings]);
    }

    /// <summary>Starts an instance with only <paramref name="settings"/> on top of appsettings.json.</summary>
    public static async Task<SimulatorInstance> StartRawAsync(params string[] settings)
    {
        var (app, address) = await StartOnLoopbackAsync(settings);
        return new SimulatorInstance(app, address);
    }

    /// <summary>
    /// Builds the simulators on a free loopback port; <paramref name="settings"/> are <c>Key=Value</c> overrides, and
    /// <paramref name="clock"/>, when given, is their clock.
    /// </summary>
    public static WebApplication Build(IEnumerable<string> settings, TimeProvider? clock = null) =>
        SimulatorApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                .. settings.Select(setting => $"--{setting}"),
            ],
            clock is null ? null : builder => builder.Services.AddSingleton(clock));

    public static WebApplication Build(params string[] settings) => Build(settings, clock: null);

    /// <summary>Builds (<see cref="Build(IEnumerable{string}, TimeProvider?)"/>) and starts the simulators; their app and address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartOnLoopbackAsync(IEnumerable<string> settings, TimeProvider? clock = null)
    {
        var app = Build(settings, clock);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return (app, SimulatorApp.ListeningAddresses(app).Single());
    }

    /// <summary>GET alldossiers with the test credentials (or the given ones; null leaves a header out).</summary>
    public Task<HttpResponseMessage> GetDossiersAsync(string query, string? username = Username, string? password = Password, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{AllDossiersPath}?{query}");
        AddHeader(request, "username", username);
        AddHeader(request, "password", password);
        AddHeader(request, "apikey", apiKey);
        return Http.SendAsync(request);
    }

    /// <summary>GET alldossiers, expecting 200, parsed.</summary>
    public async Task<JsonDocument> GetPageAsync(string query)
    {
        using var response = await GetDossiersAsync(query);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET alldossiers?{query} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return JsonDocument.Parse(body);
    }

    public async Task<FaultRuleState> AddFaultAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FaultRuleState>(Json))!;
    }

    public async Task<IReadOnlyList<FaultRuleState>> GetFaultsAsync() =>
        (await Http.GetFromJsonAsync<List<FaultRuleState>>("/_admin/faults", Json))!;

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestLogAsync(string query = "") =>
        (await Http.GetFromJsonAsync<List<RequestLogEntry>>($"/_admin/requests{query}", Json))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>The IDs of a parsed page's dossiers, in order.</summary>
    public static int[] Ids(JsonDocument page) =>
        [.. page.RootElement.GetProperty("dossiers").EnumerateArray().Select(dossier => dossier.GetProperty("ID").GetInt32())];

    private static void AddHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.Add(name, value);
        }
    }
}
