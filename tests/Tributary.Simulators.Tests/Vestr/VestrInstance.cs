using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Tributary.Simulators.Keycloak;
using Tributary.Simulators.Tests.TrueLayer;

namespace Tributary.Simulators.Tests.Vestr;

/// <summary>
/// The simulators in-process with a hand-moved clock, for the Keycloak and Vestr tests: a cookie-keeping client
/// that does not follow redirects (so the browser flow's 302 can be read), and helpers for TOTP and GraphQL.
/// </summary>
public sealed partial class VestrInstance : IAsyncDisposable
{
    public const string Realm = "/keycloak/realms/vestr";
    public const string ClientId = "vestr-app";
    public const string Username = "tributary-sim";
    public const string Password = "sim-vestr-password-dev-only";
    public const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    public const string RedirectUri = "https://gateway.example/vestr/callback";

    public const string FeeQuery = """
        query Fees($from: Date!, $to: Date!, $cursor: String, $first: Int) {
          feeDeductions(from: $from, to: $to, cursor: $cursor, first: $first) {
            items { id bookingDate amount currency feeType productIsin productName outstandingQuantity }
            nextCursor
            hasMore
          }
        }
        """;

    /// <summary>Wednesday 25 November 2026, 14:30:00 UTC: a TOTP step boundary.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    private VestrInstance(WebApplication app, Uri baseAddress, ManualClock clock)
    {
        App = app;
        Clock = clock;
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public WebApplication App { get; }

    public ManualClock Clock { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public static byte[] TotpKey => Base32.TryDecode(TotpSecret, out var key) ? key : throw new InvalidOperationException();

    public static async Task<VestrInstance> StartAsync(params string[] settings)
    {
        var clock = new ManualClock(Start);
        var (app, address) = await SimulatorInstance.StartOnLoopbackAsync(settings, clock);
        return new VestrInstance(app, address, clock);
    }

    /// <summary>The TOTP code by the test's clock (not the realm's), shifted by <paramref name="offset"/>.</summary>
    public string Otp(TimeSpan offset = default) => Totp.Code(TotpKey, Clock.GetUtcNow() + offset);

    public Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> fields) =>
        Http.PostAsync($"{Realm}/protocol/openid-connect/token", new FormUrlEncodedContent(fields));

    public Task<HttpResponseMessage> PasswordGrantAsync(string? otp = null, string password = Password) =>
        TokenAsync(new()
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = Username,
            ["password"] = password,
            ["totp"] = otp ?? Otp(),
        });

    /// <summary>An access token by the direct grant, expecting success.</summary>
    public async Task<string> AccessTokenAsync()
    {
        using var response = await PasswordGrantAsync();
        var reply = await ReadAsync(response, HttpStatusCode.OK);
        return reply.GetProperty("access_token").GetString()!;
    }

    /// <summary>POST a GraphQL request; the HTTP status is returned with the parsed body and its raw text.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string Text)> GraphQLAsync(string? accessToken, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/vestr/graphql")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, text);
    }

    /// <summary>The fee query for a range, expecting data (no errors).</summary>
    public async Task<(JsonElement Page, string Text)> FeesAsync(string accessToken, string from, string to, string? cursor = null, int? first = null)
    {
        var (status, body, text) = await GraphQLAsync(accessToken, FeeQuery, new { from, to, cursor, first });
        Assert.True(status == HttpStatusCode.OK && !body.TryGetProperty("errors", out _), $"GraphQL answered {(int)status}: {text}");
        return (body.GetProperty("data").GetProperty("feeDeductions"), text);
    }

    public async Task<JsonElement[]> AdminDeductionsAsync(string query = "")
    {
        var dump = await Http.GetFromJsonAsync<JsonElement>($"/_admin/vestr/deductions{query}");
        return [.. dump.EnumerateArray()];
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The (unescaped) action of the form with <paramref name="formId"/> in a page.</summary>
    public static string FormAction(string html, string formId)
    {
        var match = Regex.Match(html, $"<form id=\"{formId}\"[^>]*action=\"([^\"]+)\"");
        Assert.True(match.Success, $"No form {formId} in the page: {html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The text of the <c>input-error</c> span, or null.</summary>
    public static string? InputError(string html)
    {
        var match = InputErrorPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    [GeneratedRegex("<span id=\"input-error\"[^>]*>([^<]*)</span>")]
    private static partial Regex InputErrorPattern();
}
