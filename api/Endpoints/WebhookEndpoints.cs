using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Events;
using Tributary.Storage.Events;

namespace Tributary.Api.Endpoints;

/// <summary>Webhook subscriptions: events are POSTed to the URL, signed with HMAC-SHA256, retried with backoff.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        group.MapPost("/", CreateAsync).WithSummary("Subscribe a URL to events (optionally only some types or jobs). The secret signs every delivery.");
        group.MapGet("/", ListAsync).WithSummary("Active subscriptions (secrets are never shown again).");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Stop deliveries to a subscription.");
        group.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("The delivery log of a subscription, newest first.");
        return app;
    }

    private static async Task<Results<Created<WebhookCreated>, ValidationProblem>> CreateAsync(WebhookRequest body, WebhookStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors["url"] = ["An absolute http or https URL."];
        }

        if (body.Secret is { Length: < 16 })
        {
            errors["secret"] = ["At least 16 characters, or leave it out to get a generated one."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var secret = body.Secret ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var created = await store.CreateAsync(url!.ToString(), secret, body.Types ?? [], body.Jobs ?? [], cancellationToken);
        // The secret is shown once, here, so the receiver can verify signatures; it is never listed again.
        return TypedResults.Created($"/api/webhooks/{created.WebhookId}",
            new WebhookCreated(created.WebhookId, created.Url, created.Types, created.Jobs, secret, WebhookDeliveryService.SignatureHeader));
    }

    private static async Task<Ok<IReadOnlyList<WebhookView>>> ListAsync(WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookView>>((await store.ListAsync(cancellationToken)).Select(WebhookView.From).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(string id, WebhookStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var webhookId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A webhook id is a UUID; was '{id}'."] });
        }

        return await store.DeactivateAsync(webhookId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Unknown webhook", detail: $"There is no active webhook {webhookId}.");
    }

    private static async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ValidationProblem>> DeliveriesAsync(string id, WebhookStore store, CancellationToken cancellationToken, int limit = 100)
    {
        if (!Guid.TryParse(id, out var webhookId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A webhook id is a UUID; was '{id}'."] });
        }

        return TypedResults.Ok<IReadOnlyList<DeliveryView>>(
            (await store.DeliveriesAsync(webhookId, Math.Clamp(limit, 1, 1_000), cancellationToken)).Select(DeliveryView.From).ToList());
    }
}

/// <summary>Body of <c>POST /api/webhooks</c>.</summary>
public sealed record WebhookRequest(string? Url, string? Secret, IReadOnlyList<string>? Types, IReadOnlyList<string>? Jobs);

/// <summary>A new subscription, with its secret (shown only now) and the header that carries signatures.</summary>
public sealed record WebhookCreated(Guid WebhookId, string Url, IReadOnlyList<string> Types, IReadOnlyList<string> Jobs, string Secret, string SignatureHeader);
