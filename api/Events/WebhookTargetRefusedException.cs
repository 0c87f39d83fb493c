namespace Tributary.Api.Events;

/// <summary>A webhook delivery was not sent because its host is, or resolves to, an address webhooks may not go to.</summary>
public sealed class WebhookTargetRefusedException : Exception
{
    public WebhookTargetRefusedException(string message) : base(message)
    {
    }

    public WebhookTargetRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
