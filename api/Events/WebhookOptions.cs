using Microsoft.Extensions.Options;

namespace Tributary.Api.Events;

/// <summary>Where webhooks may go and how long a delivery may take. Section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Also deliver to loopback, link-local, private, shared, multicast, unspecified and reserved addresses. Off by
    /// default: a webhook URL is chosen by an API caller, and the gateway must not become their way into the
    /// machine or the network it runs in (cloud metadata, databases, admin ports). Turn it on where receivers live
    /// inside the network (and in tests that run a receiver on loopback).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="WebhookOptions"/> at start: every problem a sentence naming the setting.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > MaximumTimeout
            ? ValidateOptionsResult.Fail($"{WebhookOptions.Section}:{nameof(WebhookOptions.Timeout)} must be 00:00:01..{MaximumTimeout:c}, was {options.Timeout:c}.")
            : ValidateOptionsResult.Success;
    }
}
