using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Api;

namespace Tributary.Testing;

/// <summary>The real gateway, hosted in the test process on a real loopback port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string OperatorKey = "test-operator-key-0123456789abcdef";

    /// <summary>The user of <see cref="OperatorKey"/> (its name, as no User is configured).</summary>
    public const string OperatorUser = "test operator";

    /// <summary>A second operator key, of another user: what one user creates the other does not see.</summary>
    public const string SecondOperatorKey = "test-second-operator-key-0123456789";

    /// <summary>The user of <see cref="SecondOperatorKey"/> (configured apart from its name).</summary>
    public const string SecondOperatorUser = "second user";

    /// <summary>The Data Protection key-ring key (<c>DataProtection:KeyRingKey</c>): base64 of the 32 bytes "tributary-test-key-ring-key-32by".</summary>
    public const string KeyRingKey = "dHJpYnV0YXJ5LXRlc3Qta2V5LXJpbmcta2V5LTMyYnk=";

    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the gateway against a cluster; returns once its Orleans client is connected.</summary>
    public static async Task<GatewayHost> StartAsync(string connectionString, string clusterId, string serviceId, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Database:ConnectionString"] = connectionString,
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:ServiceId"] = serviceId,
            ["Cluster:Gateway:GatewayListRefreshPeriod"] = "00:00:01",
            ["TRIBUTARY_ADMIN_KEY"] = AdminKey,
            ["Auth:ApiKeys:0:Name"] = OperatorUser,
            ["Auth:ApiKeys:0:Scope"] = "operator",
            ["Auth:ApiKeys:0:Key"] = OperatorKey,
            ["Auth:ApiKeys:1:Name"] = "test second operator",
            ["Auth:ApiKeys:1:User"] = SecondOperatorUser,
            ["Auth:ApiKeys:1:Scope"] = "operator",
            ["Auth:ApiKeys:1:Key"] = SecondOperatorKey,
            ["DataProtection:KeyRingKey"] = KeyRingKey,
            // The suites' webhook receivers listen on loopback; the tests of the refusals set it false.
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test's requests come from 127.0.0.1 and a few keys: limits far above what any test sends, except in
            // the tests of the limits themselves, which set their own.
            ["Gateway:RateLimiting:PerKey:Burst"] = "1000000",
            ["Gateway:RateLimiting:PerKey:PerSecond"] = "1000000",
            ["Gateway:RateLimiting:PerAddress:Burst"] = "1000000",
            ["Gateway:RateLimiting:PerAddress:PerSecond"] = "1000000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = GatewayApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayHost(app, new Uri(address));
    }

    /// <summary>An HTTP client for the gateway, sending <paramref name="apiKey"/> in X-Api-Key when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
