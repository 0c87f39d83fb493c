using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tributary.Simulators.Tests.TrueLayer;
using Tributary.Testing;

namespace Tributary.Simulators.Tests.Dropbox;

/// <summary>The simulators in-process on a free loopback port with a hand-moved clock, for the Dropbox tests.</summary>
public sealed class DropboxInstance : IAsyncDisposable
{
    public const string AppKey = "tributary-sim";
    public const string AppSecret = "sim-dropbox-secret-dev-only";
    public const string RefreshToken = "sim-dropbox-refresh-dev-only";

    public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    private DropboxInstance(WebApplication app, Uri baseAddress, ManualClock clock)
    {
        App = app;
        Clock = clock;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<DropboxInstance> StartAsync(params string[] settings)
    {
        var clock = new ManualClock(Start);
        var (app, address) = await SimulatorInstance.StartOnLoopbackAsync(settings, clock);
        return new DropboxInstance(app, address, clock);
    }

    public Task<HttpResponseMessage> TokenAsync(string refreshToken = RefreshToken, string secret = AppSecret) =>
        Http.PostAsync("/dropbox/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = AppKey,
            ["client_secret"] = secret,
        }));

    public async Task<string> AccessTokenAsync()
    {
        using var response = await TokenAsync();
        return (await ReadAsync(response, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    /// <summary>POSTs JSON to an RPC route such as <c>files/list_folder</c>.</summary>
    public Task<HttpResponseMessage> RpcAsync(string route, string json, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/dropbox/api/2/{route}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        Authorize(request, token);
        return Http.SendAsync(request);
    }

    /// <summary>POSTs content to a content route such as <c>files/upload</c> with its <c>Dropbox-API-Arg</c>.</summary>
    public Task<HttpResponseMessage> ContentAsync(string route, object argument, HttpContent content, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/dropbox/content/2/{route}") { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("Dropbox-API-Arg", JsonSerializer.Serialize(argument));
        Authorize(request, token);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> UploadAsync(string path, byte[] content, string token, string mode = "add", bool autorename = false, string? contentHash = null) =>
        ContentAsync(
            "files/upload",
            contentHash is null
                ? new { path, mode, autorename, mute = false }
                : new { path, mode, autorename, mute = false, content_hash = contentHash },
            new ByteArrayContent(content),
            token);

    public async Task<JsonElement> AdminAsync()
    {
        using var response = await Http.GetAsync("/_admin/dropbox");
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Waits until the admin API shows <paramref name="count"/> writes holding a folder lease.</summary>
    public Task WritesInFlightAsync(int count) => Eventually.TrueAsync(
        async () => (await AdminAsync()).GetProperty("writesInFlight").GetInt32() == count,
        $"{count} write(s) in flight");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<string> TextAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>Bytes <c>(i * 7 + 3) mod 256</c>: the content the hash vectors are computed over.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 7) + 3);
        }

        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }
}

/// <summary>A body that sends its first part, then waits for <see cref="Release"/> before the rest.</summary>
public sealed class GatedContent(byte[] first, byte[] rest) : HttpContent
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await _gate.Task;
        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = first.Length + rest.Length;
        return true;
    }
}
