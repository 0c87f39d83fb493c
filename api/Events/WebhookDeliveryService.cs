using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tributary.Storage.Events;
using Tributary.Storage.Secrets;

namespace Tributary.Api.Events;

/// <summary>
/// Delivers outbox events to webhooks: fans new events out to subscriptions, then POSTs due deliveries as
/// structured CloudEvents with an HMAC-SHA256 signature of the body. A failed delivery is retried with
/// exponential backoff (2 s doubling, at most an hour apart) up to <see cref="MaxAttempts"/>, then marked failed.
/// Several gateways may run this: deliveries are claimed with a lease.
/// </summary>
/// <remarks>
/// Before its first delivery it protects the secrets still stored in plain text (<see cref="WebhookStore.ProtectPlainSecretsAsync"/>).
/// Deliveries go through <see cref="WebhookTargetGuard"/> (the HTTP client's connect step): a target that is not
/// permitted fails at once and for good, without a connection; redirects are not followed (a 3xx is a failure).
/// </remarks>
public sealed partial class WebhookDeliveryService(
    WebhookStore store,
    OutboxNotifier notifier,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "X-Tributary-Signature";
    public const int MaxAttempts = 10;

    /// <summary>How long the loop lets notifications gather after the first wakes it.</summary>
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var plainSecretsProtected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!plainSecretsProtected)
                {
                    // Idempotent, and safe while other gateways do the same; retried with the loop until it succeeds
                    // (a gateway may start before the silos have migrated the database).
                    if (await store.ProtectPlainSecretsAsync(stoppingToken) is > 0 and var count)
                    {
                        LogPlainSecretsProtected(logger, count);
                    }

                    plainSecretsProtected = true;
                }

                await store.FanOutAsync(stoppingToken);
                var due = await store.ClaimDueAsync(50, stoppingToken);
                foreach (var delivery in due)
                {
                    await DeliverAsync(delivery, stoppingToken);
                }

                if (due.Count == 0)
                {
                    await notifier.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    // A burst of events (a busy cluster appends hundreds a second) is fanned out in one pass rather than
                    // one pass (two statements) per notification.
                    await Task.Delay(CoalesceWindow, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogLoopFailed(logger, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body under the webhook's secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))).ToLowerInvariant();

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        int? status = null;
        string? error = null;
        var final = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.EventJson, Encoding.UTF8, "application/cloudevents+json"),
            };
            request.Headers.Add(SignatureHeader, Sign(await store.RevealSecretAsync(delivery, cancellationToken), delivery.EventJson));
            request.Headers.Add("X-Tributary-Delivery", $"{delivery.WebhookId}/{delivery.Sequence.ToString(CultureInfo.InvariantCulture)}");
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.RecordAttemptAsync(delivery.WebhookId, delivery.Sequence, true, status, null, null, cancellationToken);
                return;
            }

            error = status is >= 300 and < 400 ? $"HTTP {status} (redirects are not followed)" : $"HTTP {status}";
        }
        catch (HttpRequestException exception) when (exception.InnerException is WebhookTargetRefusedException refused)
        {
            // Policy, not a passing failure: retrying would only be refused again.
            error = refused.Message;
            final = true;
        }
        catch (SecretProtectionException exception)
        {
            error = exception.Message;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = exception.Message;
        }

        var attempt = delivery.Attempts + 1;
        DateTimeOffset? retryAt = final || attempt >= MaxAttempts
            ? null
            : time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(3600, Math.Pow(2, attempt)));
        LogDeliveryFailed(logger, delivery.WebhookId, delivery.Sequence, attempt, error ?? "unknown");
        await store.RecordAttemptAsync(delivery.WebhookId, delivery.Sequence, false, status, error, retryAt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} delivery of event {Sequence} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid webhookId, long sequence, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Protected {Count} webhook secrets that were stored in plain text")]
    private static partial void LogPlainSecretsProtected(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery loop failed: {Reason}; retrying")]
    private static partial void LogLoopFailed(ILogger logger, string reason);
}
