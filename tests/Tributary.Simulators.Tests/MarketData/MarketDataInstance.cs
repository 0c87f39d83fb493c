using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tributary.Simulators.Faults;
using Tributary.Simulators.RequestLog;

namespace Tributary.Simulators.Tests.MarketData;

/// <summary>
/// The simulators started in-process on a free loopback port with real Kestrel and a fixed clock, for the
/// market-data feed's tests.
/// </summary>
public sealed class MarketDataInstance : IAsyncDisposable
{
    public const string ApiKey = "test-marketdata-key";
    public const string DevApiKey = "sim-marketdata-key-dev-only";

    /// <summary>Wednesday 25 November 2026, 14:30 UTC: a business day, so "latest" is that day's close.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private MarketDataInstance(WebApplication app, Uri baseAddress)
    {
        App = app;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    /// <summary>Starts an instance whose feed expects <see cref="ApiKey"/>; <paramref name="settings"/> are <c>Key=Value</c> overrides.</summary>
    public static Task<MarketDataInstance> StartAsync(params string[] settings) =>
        StartAsync(Wednesday, [$"Simulators:MarketData:ApiKey={ApiKey}", .. settings]);

    /// <summary>Starts an instance at <paramref name="now"/> with only <paramref name="settings"/> on top of appsettings.json.</summary>
    public static async Task<MarketDataInstance> StartAsync(DateTimeOffset now, params string[] settings)
    {
        var app = Build(now, settings);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new MarketDataInstance(app, SimulatorApp.ListeningAddresses(app).Single());
    }

    public static WebApplication Build(DateTimeOffset now, params string[] settings) =>
        SimulatorInstance.Build(settings, new FixedClock(now));

    /// <summary>GET a feed path (such as <c>quotes?symbols=AAPL</c>) with the given key; null leaves the header out.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? apiKey = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/marketdata/v1/{pathAndQuery}");
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return Http.SendAsync(request);
    }

    /// <summary>GET a feed path expecting 200, as bytes.</summary>
    public async Task<byte[]> GetBytesAsync(string pathAndQuery)
    {
        using var response = await GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    /// <summary>GET a feed path expecting 200, parsed.</summary>
    public async Task<JsonElement> GetJsonAsync(string pathAndQuery) =>
        JsonDocument.Parse(await GetBytesAsync(pathAndQuery)).RootElement;

    public async Task<FaultRuleState> AddFaultAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FaultRuleState>(Json))!;
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestLogAsync(string query = "") =>
        (await Http.GetFromJsonAsync<List<RequestLogEntry>>($"/_admin/requests{query}", Json))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary><paramref name="count"/> symbols FT0001, FT0002, ... joined by commas.</summary>
    public static string Symbols(int count) =>
        string.Join(',', Enumerable.Range(1, count).Select(i => $"FT{i:D4}"));
}
