using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tributary.Simulators.RequestLog;

namespace Tributary.Simulators.Tests.AiPlatform;

/// <summary>
/// The simulators in-process on a free loopback port with the AI platform's dev defaults and a fake clock, and
/// helpers that send its login and analysis calls with the right (or the given) key, tenant and token.
/// </summary>
public sealed class AiPlatformInstance : IAsyncDisposable
{
    public const string Username = "tributary-sim";
    public const string Password = "sim-ai-password-dev-only";
    public const string ApiKey = "sim-ai-key-dev-only";
    public const string TenantId = "tributary";

    /// <summary>Wednesday 25 November 2026, 14:30:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private AiPlatformInstance(WebApplication app, Uri baseAddress, TimerClock clock)
    {
        App = app;
        Clock = clock;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    /// <summary>The simulators' clock: token expiry and the analysis latency run on it.</summary>
    public TimerClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<AiPlatformInstance> StartAsync(params string[] settings)
    {
        var clock = new TimerClock(Start);
        var (app, address) = await SimulatorInstance.StartOnLoopbackAsync(settings, clock);
        return new AiPlatformInstance(app, address, clock);
    }

    /// <summary><c>POST /aiplatform/auth/login</c> with <paramref name="body"/> as sent; a null header is left out.</summary>
    public Task<HttpResponseMessage> LoginBodyAsync(string body, string? apiKey = ApiKey, string? tenantId = TenantId) =>
        SendAsync("/aiplatform/auth/login", body, apiKey, tenantId, token: null);

    /// <summary>The right login, with the given credentials.</summary>
    public Task<HttpResponseMessage> LoginAsync(string username = Username, string password = Password) =>
        LoginBodyAsync(JsonSerializer.Serialize(new { username, password }));

    /// <summary>An access token of the right login, expecting success.</summary>
    public async Task<string> TokenAsync()
    {
        using var response = await LoginAsync();
        return (await ReadAsync(response, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    /// <summary><c>POST /aiplatform/v1/analyses</c> with <paramref name="body"/> as sent; a null header is left out.</summary>
    public Task<HttpResponseMessage> AnalyseAsync(string? token, string body, string? apiKey = ApiKey, string? tenantId = TenantId) =>
        SendAsync("/aiplatform/v1/analyses", body, apiKey, tenantId, token);

    /// <summary><c>GET /_admin/aiplatform</c>.</summary>
    public Task<JsonElement> AdminAsync() => Http.GetFromJsonAsync<JsonElement>("/_admin/aiplatform");

    public async Task<JsonElement> PostAdminAsync(string path)
    {
        using var response = await Http.PostAsync(path, content: null);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestLogAsync(string query = "") =>
        (await Http.GetFromJsonAsync<List<RequestLogEntry>>($"/_admin/requests{query}", Json))!;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The body's text, after checking the status and that it is JSON.</summary>
    public static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string body, string? apiKey, string? tenantId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (tenantId is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenantId);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }
}
