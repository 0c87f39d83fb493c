using Tributary.Storage.Events;

namespace Tributary.Api.Endpoints;

/// <summary>A webhook subscription, without its secret (shown once, when it was created).</summary>
/// <param name="Types">Event types delivered; empty for all.</param>
/// <param name="Jobs">Jobs whose events are delivered; empty for all.</param>
/// <param name="CursorSequence">The outbox sequence up to which events were considered for this subscription.</param>
public sealed record WebhookView(Guid WebhookId, string Url, IReadOnlyList<string> Types, IReadOnlyList<string> Jobs, DateTimeOffset CreatedAt, long CursorSequence, bool Active, string Owner)
{
    public static WebhookView From(WebhookRecord webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new WebhookView(webhook.WebhookId, webhook.Url, webhook.Types, webhook.Jobs, webhook.CreatedAt, webhook.CursorSequence, webhook.Active, webhook.Owner);
    }
}
