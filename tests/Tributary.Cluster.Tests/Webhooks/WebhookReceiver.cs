using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Api.Events;

namespace Tributary.Cluster.Tests.Webhooks;

/// <summary>What a webhook receiver got: the body, the signature header and the delivery header (<c>{webhookId}/{sequence}</c>).</summary>
public sealed record ReceivedDelivery(string Body, string? Signature, string? Delivery);

/// <summary>A webhook receiver on a real loopback port that records every request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url, ConcurrentQueue<ReceivedDelivery> received)
    {
        _app = app;
        Url = url;
        Received = received;
    }

    /// <summary>Everything received, in order.</summary>
    public ConcurrentQueue<ReceivedDelivery> Received { get; }

    /// <summary>The URL to subscribe: <c>http://127.0.0.1:{port}/hook</c>.</summary>
    public string Url { get; }

    /// <summary>The port it listens on (loopback only).</summary>
    public int Port => new Uri(Url).Port;

    /// <summary>Starts a receiver that answers 200, or what <paramref name="respond"/> returns.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<HttpContext, IResult>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedDelivery>();
        app.Map("/{**path}", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            received.Enqueue(new ReceivedDelivery(body, context.Request.Headers[WebhookDeliveryService.SignatureHeader], context.Request.Headers["X-Tributary-Delivery"]));
            return respond?.Invoke(context) ?? Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookReceiver(app, $"{address}/hook", received);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
