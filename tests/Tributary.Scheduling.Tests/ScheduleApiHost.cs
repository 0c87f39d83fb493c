using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// The schedule routes alone, on a real loopback port, over a test cluster's client, with the gateway's
/// problem+json wiring: the gateway's authentication and other domains are not what these tests are about.
/// </summary>
public sealed class ScheduleApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScheduleApiHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<ScheduleApiHost> StartAsync(IClusterClient cluster)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton<Tributary.Api.Endpoints.KnownJobs>();
        builder.Services.AddRequestProblems();
        var app = builder.Build();
        app.UseRequestProblems();
        app.MapScheduleEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ScheduleApiHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
