using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Vestr;

namespace Tributary.Connectors.Tests.Vestr;

/// <summary>
/// The real simulators (the Keycloak realm <c>vestr</c> and Vestr's GraphQL API), started in-process on a free
/// loopback port with real Kestrel, and the Vestr clients built the way a host builds them (<c>AddVestrClients</c>
/// over configuration) pointing at them.
/// </summary>
public sealed class VestrSimulators : IAsyncDisposable
{
    public const string Username = "tributary-sim";

    public const string Password = "sim-vestr-password-dev-only";

    /// <summary>The simulated user's TOTP secret (the simulators' default).</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private readonly ServiceProvider _services;

    private VestrSimulators(WebApplication app, Uri address, ServiceProvider services)
    {
        App = app;
        Address = address;
        _services = services;
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>Where the simulators listen, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _services;

    /// <summary>A login client, as a caller resolves one.</summary>
    public KeycloakLogin Login => _services.GetRequiredService<KeycloakLogin>();

    /// <summary>The process's one session.</summary>
    public VestrSession Session => _services.GetRequiredService<VestrSession>();

    /// <summary>A fee-deductions client, as a caller resolves one.</summary>
    public VestrFeeClient Fees => _services.GetRequiredService<VestrFeeClient>();

    /// <summary>
    /// Starts the simulators and the clients; <paramref name="clientSettings"/> override the clients' <c>Vestr</c>
    /// settings; <paramref name="configure"/> adds services to the clients' container before they are registered (a
    /// fake clock); <paramref name="answer"/> runs in front of the simulators for the requests it chooses;
    /// <paramref name="simulatorSettings"/> (<c>Simulators:Keycloak:AccessTokenSeconds=30</c>) override the simulators'.
    /// </summary>
    public static async Task<VestrSimulators> StartAsync(
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        Action<IServiceCollection>? configure = null,
        Func<HttpContext, Task<bool>>? answer = null,
        IReadOnlyList<string>? simulatorSettings = null)
    {
        var (app, address) = await LoopbackSimulators.StartAsync((simulatorSettings ?? []).Select(setting => $"--{setting}"), answer);
        var settings = new Dictionary<string, string?>
        {
            ["Vestr:KeycloakUrl"] = new Uri(address, "keycloak/realms/vestr").ToString(),
            ["Vestr:GraphQlUrl"] = new Uri(address, "vestr/graphql").ToString(),
            ["Vestr:Username"] = Username,
            ["Vestr:Password"] = Password,
            ["Vestr:TotpSecret"] = TotpSecret,
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddVestrClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new VestrSimulators(app, address, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>The browser-flow settings, or the direct grant's.</summary>
    public static Dictionary<string, string?> Flow(string flow, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Vestr:LoginFlow"] = flow };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary><c>GET /_admin/keycloak</c>: logins by flow, grants by type, the skew.</summary>
    public Task<JsonElement> KeycloakAsync() => GetJsonAsync("/_admin/keycloak");

    /// <summary>Every deduction of the range as the simulator serves it (<c>GET /_admin/vestr/deductions</c>).</summary>
    public async Task<List<FeeDeduction>> DeductionsAsync(DateOnly from, DateOnly to) =>
        (await Admin.GetFromJsonAsync<List<FeeDeduction>>($"/_admin/vestr/deductions?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", JsonSerializerOptions.Web))!;

    /// <summary>The days the simulator has deductions for (<c>GET /_admin/vestr</c>).</summary>
    public async Task<(DateOnly From, DateOnly To)> ExtentAsync()
    {
        var extent = await GetJsonAsync("/_admin/vestr");
        return (DateOnly.Parse(extent.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(extent.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task PutAdminAsync(string path, object body)
    {
        using var response = await Admin.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task PostAdminAsync(string path)
    {
        using var response = await Admin.PostAsync(path, content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Every code the user's authenticator shows within a minute of now: none may appear in a message.</summary>
    public static IEnumerable<string> CodesAroundNow(string secret = TotpSecret)
    {
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(-2, 5).Select(step => VestrTotp.Code(secret, now.AddSeconds(step * 30)));
    }

    /// <summary>Fails when the failure's text (message, inner ones and stack) holds any of the secrets.</summary>
    public static void AssertHoldsNoSecret(Exception failure, params IEnumerable<string>[] secrets)
    {
        var text = failure.ToString();
        foreach (var secret in secrets.SelectMany(s => s).Concat([Password, TotpSecret]))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _services.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
