using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Api.Events;

namespace Tributary.Jobs.Tests;

/// <summary>Webhooks: a real receiver on loopback gets signed CloudEvents, retried after a failure.</summary>
public sealed class WebhookTests
{
    private static readonly string[] CompletedOnly = ["tributary.job.run.completed"];
    private static readonly string[] CountingOnly = ["test_counting"];

    [Fact]
    public async Task A_completion_event_is_delivered_signed_and_retried_after_a_failure()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        await using var cluster = await TributaryTestCluster.StartAsync("webhook", o => o.WithTestJobs().WithGateway());
        using var client = cluster.Gateway!.CreateClient(GatewayHost.OperatorKey);
        const string secret = "receiver-shared-secret-0123456789";

        var created = await client.PostAsJsonAsync("/api/webhooks", new
        {
            url = receiver.Url,
            secret,
            types = CompletedOnly,
            jobs = CountingOnly,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var webhookId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookId").GetString();

        var ticket = await (await client.PostAsync("/api/etl/test_counting/runs", null)).Content.ReadFromJsonAsync<JsonElement>();
        var runId = ticket.GetProperty("runId").GetString();
        var delivered = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Accepted.FirstOrDefault()),
            "the receiver accepts the completion event");

        Assert.Equal(2, receiver.Attempts);
        var body = JsonDocument.Parse(delivered.Body).RootElement;
        Assert.Equal("tributary.job.run.completed", body.GetProperty("type").GetString());
        Assert.Equal(runId, body.GetProperty("data").GetProperty("runId").GetString());
        Assert.Equal(WebhookDeliveryService.Sign(secret, delivered.Body), delivered.Signature);
        Assert.Equal("application/cloudevents+json", delivered.ContentType);

        var log = await client.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries");
        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("delivered", entry.GetProperty("status").GetString());
        Assert.Equal(2, entry.GetProperty("attempts").GetInt32());
        Assert.Equal(200, entry.GetProperty("lastStatus").GetInt32());
    }

    [Fact]
    public async Task A_webhook_with_a_bad_url_or_short_secret_is_refused_naming_the_fields()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("webhook_bad", o => o.WithTestJobs().WithGateway());
        using var client = cluster.Gateway!.CreateClient(GatewayHost.OperatorKey);

        var response = await client.PostAsJsonAsync("/api/webhooks", new { url = "ftp://example/hook", secret = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["secret", "url"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/webhooks")).EnumerateArray());
    }

    /// <summary>What a webhook receiver got.</summary>
    private sealed record Delivery(string Body, string? Signature, string? ContentType);

    /// <summary>A webhook receiver on a real loopback port that answers 500 to its first N requests.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _attempts;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentQueue<Delivery> Accepted { get; } = new();
        public int Attempts => Volatile.Read(ref _attempts);
        public string Url { get; private set; } = string.Empty;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpContext context) =>
            {
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
                if (Interlocked.Increment(ref receiver._attempts) <= failFirst)
                {
                    return Results.StatusCode(500);
                }

                receiver.Accepted.Enqueue(new Delivery(body, context.Request.Headers[WebhookDeliveryService.SignatureHeader], context.Request.ContentType?.Split(';')[0]));
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = $"{address}/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
