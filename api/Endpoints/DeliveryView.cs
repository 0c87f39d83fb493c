using Tributary.Storage.Events;

namespace Tributary.Api.Endpoints;

/// <summary>One event's delivery to one webhook.</summary>
/// <param name="Sequence">The event's outbox sequence.</param>
/// <param name="Status"><c>pending</c>, <c>delivered</c> or <c>failed</c> (no more attempts).</param>
/// <param name="LastStatus">The HTTP status the receiver last answered; null when no answer came.</param>
public sealed record DeliveryView(
    Guid WebhookId, long Sequence, string Status, int Attempts, DateTimeOffset NextAttemptAt, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt)
{
    public static DeliveryView From(DeliveryRecord delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new DeliveryView(
            delivery.WebhookId, delivery.Sequence, delivery.Status, delivery.Attempts, delivery.NextAttemptAt, delivery.LastStatus, delivery.LastError, delivery.DeliveredAt);
    }
}
