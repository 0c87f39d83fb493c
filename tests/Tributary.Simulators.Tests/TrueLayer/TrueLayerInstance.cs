using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tributary.Simulators.Faults;

namespace Tributary.Simulators.Tests.TrueLayer;

/// <summary>
/// The simulators in-process on a free loopback port with a hand-moved clock, for the TrueLayer tests. Redirects are
/// not followed, so the dialog's 302 can be read.
/// </summary>
public sealed class TrueLayerInstance : IAsyncDisposable
{
    public const string ClientId = "tributary-sim";
    public const string ClientSecret = "sim-truelayer-secret-dev-only";
    public const string RedirectUri = "https://gateway.example/callback";
    public const string Data = "/truelayer/api/data/v1";

    /// <summary>Wednesday 25 November 2026, 14:30 UTC: consents made "now" are created then.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TrueLayerInstance(WebApplication app, Uri baseAddress, ManualClock clock)
    {
        App = app;
        Clock = clock;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<TrueLayerInstance> StartAsync(params string[] settings)
    {
        var clock = new ManualClock(Start);
        var (app, address) = await SimulatorInstance.StartOnLoopbackAsync(settings, clock);
        return new TrueLayerInstance(app, address, clock);
    }

    /// <summary><c>POST /_admin/truelayer/consents</c> expecting 201, parsed.</summary>
    public async Task<JsonElement> CreateConsentAsync(object? body = null)
    {
        using var response = body is null
            ? await Http.PostAsync("/_admin/truelayer/consents", content: null)
            : await Http.PostAsJsonAsync("/_admin/truelayer/consents", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating a consent answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The account ids of a created consent, in order.</summary>
    public static string[] AccountIds(JsonElement consent) =>
        [.. consent.GetProperty("accounts").EnumerateArray().Select(account => account.GetProperty("account_id").GetString()!)];

    /// <summary>A fresh access token for a created consent, by a refresh grant.</summary>
    public async Task<string> AccessTokenAsync(JsonElement consent)
    {
        using var response = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = consent.GetProperty("refresh_token").GetString()!,
        });
        var reply = await ReadAsync(response, HttpStatusCode.OK);
        return reply.GetProperty("access_token").GetString()!;
    }

    /// <summary><c>POST /truelayer/auth/connect/token</c> as a form, with the client's credentials unless given.</summary>
    public Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> fields, string clientSecret = ClientSecret)
    {
        var form = new Dictionary<string, string>(fields) { ["client_id"] = ClientId, ["client_secret"] = clientSecret };
        return Http.PostAsync("/truelayer/auth/connect/token", new FormUrlEncodedContent(form));
    }

    /// <summary>GET a Data API path (such as <c>accounts</c>) with a bearer token; null sends none.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Data}/{pathAndQuery}");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return Http.SendAsync(request);
    }

    /// <summary>GET a Data API path expecting 200, and the envelope's results.</summary>
    public async Task<JsonElement[]> GetResultsAsync(string pathAndQuery, string accessToken)
    {
        using var response = await GetAsync(pathAndQuery, accessToken);
        var envelope = await ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("Succeeded", envelope.GetProperty("status").GetString());
        return [.. envelope.GetProperty("results").EnumerateArray()];
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The (error, error_description) of a TrueLayer error reply with the expected status.</summary>
    public static async Task<(string? Error, string? Description)> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await ReadAsync(response, expected);
        return (body.GetProperty("error").GetString(), body.GetProperty("error_description").GetString());
    }

    public async Task<FaultRuleState> AddFaultAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FaultRuleState>(Json))!;
    }

    public async Task<JsonElement> AdminPostAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.PostAsync($"/_admin/truelayer/{path}", content: null);
        return await ReadAsync(response, expected);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>The string values of one property of every result.</summary>
    public static IReadOnlyList<string?> Values(IEnumerable<JsonElement> results, string property) =>
        [.. results.Select(result => result.TryGetProperty(property, out var value) ? value.GetString() : null)];
}
