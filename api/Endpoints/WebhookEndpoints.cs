using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Auth;
using Tributary.Api.Events;
using Tributary.Storage.Events;
using Tributary.Storage.Secrets;

namespace Tributary.Api.Endpoints;

/// <summary>Webhook subscriptions: events are POSTed to the URL, signed with HMAC-SHA256, retried with backoff.</summary>
/// <remarks>
/// A webhook belongs to the user of the key that created it: other users' keys get 404 for it, admin keys see all.
/// Its URL must be http(s) to a public address unless <c>Webhooks:AllowPrivateTargets</c> (see <see cref="WebhookTargetGuard"/>).
/// </remarks>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        group.MapPost("/", CreateAsync).WithSummary("Subscribe a URL to events (optionally only some types or jobs). The secret signs every delivery.");
        group.MapGet("/", ListAsync).WithSummary("Active subscriptions of this key's user (all of them for an admin key); secrets are never shown again.");
        group.MapGet("/{id}", GetAsync).WithSummary("One subscription, active or not.");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Stop deliveries to a subscription.");
        group.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("The delivery log of a subscription, newest first.");
        return app;
    }

    private static async Task<Results<Created<WebhookCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        WebhookRequest body, ClaimsPrincipal principal, WebhookStore store, WebhookTargetGuard targets, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors["url"] = ["An absolute http or https URL."];
        }
        else if (await targets.RefusalAsync(url, cancellationToken) is { } refusal)
        {
            errors["url"] = [refusal];
        }

        if (body.Secret is { Length: < 16 })
        {
            errors["secret"] = ["At least 16 characters, or leave it out to get a generated one."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var owner = ApiCaller.From(principal).User;
        var secret = body.Secret ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WebhookRecord created;
        try
        {
            created = await store.CreateAsync(owner, url!.ToString(), secret, body.Types ?? [], body.Jobs ?? [], cancellationToken);
        }
        catch (SecretProtectionException exception)
        {
            // A deployment problem (the key ring is unreadable with this gateway's key), said as it is; never the secret.
            return TypedResults.Problem(statusCode: 503, title: "Secrets cannot be stored", detail: exception.Message);
        }

        // The secret is shown once, here, so the receiver can verify signatures; it is stored encrypted and never listed again.
        return TypedResults.Created($"/api/webhooks/{created.WebhookId}",
            new WebhookCreated(created.WebhookId, created.Url, created.Types, created.Jobs, secret, WebhookDeliveryService.SignatureHeader, created.Owner));
    }

    private static async Task<Ok<IReadOnlyList<WebhookView>>> ListAsync(ClaimsPrincipal principal, WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookView>>((await store.ListAsync(ApiCaller.From(principal).OwnerFilter, cancellationToken)).Select(WebhookView.From).ToList());

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string id, ClaimsPrincipal principal, WebhookStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var webhookId))
        {
            return InvalidId(id);
        }

        return await store.GetAsync(webhookId, ApiCaller.From(principal).OwnerFilter, cancellationToken) is { } webhook
            ? TypedResults.Ok(WebhookView.From(webhook))
            : Unknown($"There is no webhook {webhookId}.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string id, ClaimsPrincipal principal, WebhookStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var webhookId))
        {
            return InvalidId(id);
        }

        return await store.DeactivateAsync(webhookId, ApiCaller.From(principal).OwnerFilter, cancellationToken)
            ? TypedResults.NoContent()
            : Unknown($"There is no active webhook {webhookId}.");
    }

    private static async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult, ValidationProblem>> DeliveriesAsync(
        string id, ClaimsPrincipal principal, WebhookStore store, CancellationToken cancellationToken, int limit = 100)
    {
        if (!Guid.TryParse(id, out var webhookId))
        {
            return InvalidId(id);
        }

        return await store.DeliveriesAsync(webhookId, ApiCaller.From(principal).OwnerFilter, Math.Clamp(limit, 1, 1_000), cancellationToken) is { } deliveries
            ? TypedResults.Ok<IReadOnlyList<DeliveryView>>(deliveries.Select(DeliveryView.From).ToList())
            : Unknown($"There is no webhook {webhookId}.");
    }

    private static ValidationProblem InvalidId(string id) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A webhook id is a UUID; was '{id}'."] });

    // Another user's webhook answers exactly like one that does not exist: its id tells them nothing.
    private static ProblemHttpResult Unknown(string detail) => TypedResults.Problem(statusCode: 404, title: "Unknown webhook", detail: detail);
}

/// <summary>Body of <c>POST /api/webhooks</c>.</summary>
public sealed record WebhookRequest(string? Url, string? Secret, IReadOnlyList<string>? Types, IReadOnlyList<string>? Jobs);

/// <summary>A new subscription, with its secret (shown only now), the header that carries signatures, and its owner.</summary>
public sealed record WebhookCreated(Guid WebhookId, string Url, IReadOnlyList<string> Types, IReadOnlyList<string> Jobs, string Secret, string SignatureHeader, string Owner);
