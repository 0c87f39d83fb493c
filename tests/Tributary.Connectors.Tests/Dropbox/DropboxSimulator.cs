using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Dropbox;
using Tributary.Testing;

namespace Tributary.Connectors.Tests.Dropbox;

/// <summary>
/// The real simulators in-process on a free loopback port, and a <see cref="DropboxClient"/> built the way a host
/// builds it (<c>AddDropboxClient</c> over configuration) pointing at them.
/// </summary>
public sealed class DropboxSimulator : IAsyncDisposable
{
    public const string AppKey = "tributary-sim";
    public const string AppSecret = "sim-dropbox-secret-dev-only";
    public const string RefreshToken = "sim-dropbox-refresh-dev-only";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ServiceProvider _services;

    private DropboxSimulator(WebApplication app, Uri address, ServiceProvider services)
    {
        App = app;
        Address = address;
        _services = services;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client = services.GetRequiredService<DropboxClient>();
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public DropboxClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts the simulators and the client; <paramref name="clientSettings"/> override the client's <c>Dropbox</c>
    /// settings; <paramref name="answer"/>, if given, answers the requests it chooses before the simulators do.
    /// </summary>
    public static async Task<DropboxSimulator> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        Func<HttpContext, Task<bool>>? answer = null,
        params string[] simulatorSettings)
    {
        var (app, address) = await LoopbackSimulators.StartAsync(simulatorSettings.Select(setting => $"--{setting}"), answer);
        var settings = new Dictionary<string, string?>
        {
            ["Dropbox:OAuthUrl"] = new Uri(address, "dropbox").ToString(),
            ["Dropbox:ApiUrl"] = new Uri(address, "dropbox/api").ToString(),
            ["Dropbox:ContentUrl"] = new Uri(address, "dropbox/content/").ToString(),
            ["Dropbox:AppKey"] = AppKey,
            ["Dropbox:AppSecret"] = AppSecret,
            ["Dropbox:RefreshToken"] = RefreshToken,
            ["Dropbox:DeleteBatchPollInterval"] = "00:00:00.010",
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddDropboxClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new DropboxSimulator(app, address, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>Seeds a file through <c>PUT /_admin/dropbox/files</c>.</summary>
    public async Task SeedAsync(string path, byte[] content)
    {
        using var response = await Admin.PutAsJsonAsync("/_admin/dropbox/files", new { path, content = Convert.ToBase64String(content) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JsonElement> StateAsync() => await Admin.GetFromJsonAsync<JsonElement>("/_admin/dropbox");

    public async Task ExpireTokensAsync()
    {
        using var response = await Admin.PostAsync("/_admin/dropbox/expire-tokens", content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>(route, status) of every logged request, in order.</summary>
    public async Task<IReadOnlyList<(string Route, int? Status)>> LogAsync()
    {
        var entries = await Admin.GetFromJsonAsync<JsonElement>("/_admin/requests");
        return [.. entries.EnumerateArray().Select(entry => (entry.GetProperty("route").GetString()!, entry.GetProperty("status").ValueKind == JsonValueKind.Number ? entry.GetProperty("status").GetInt32() : (int?)null))];
    }

    /// <summary>An access token straight from the simulator, for requests made around the client.</summary>
    public async Task<string> AccessTokenAsync()
    {
        using var response = await Admin.PostAsync("/dropbox/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = RefreshToken,
            ["client_id"] = AppKey,
            ["client_secret"] = AppSecret,
        }));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Waits until the simulator shows <paramref name="count"/> writes holding a folder lease.</summary>
    public Task WritesInFlightAsync(int count) => Eventually.TrueAsync(
        async () => (await StateAsync()).GetProperty("writesInFlight").GetInt32() == count,
        $"{count} write(s) in flight");

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
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
