namespace Tributary.Jobs;

/// <summary>What an exception says about retrying: the upstream's Retry-After and whether it signals throttling.</summary>
public static class RetryHint
{
    /// <summary>The Retry-After an upstream asked for, when the exception carries one.</summary>
    public static TimeSpan? RetryAfter(Exception exception) => exception switch
    {
        Connectors.UpstreamException { RetryAfter: { } after } => after,
        _ => null,
    };

    /// <summary>429s and timeouts shrink dynamic batches.</summary>
    public static bool IsThrottling(Exception exception) => exception switch
    {
        Connectors.UpstreamException { StatusCode: 429 } => true,
        TimeoutException or TaskCanceledException => true,
        Polly.Timeout.TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Errors a retry cannot fix: bad data, or an upstream's permanent refusal (400, 401, 403, 404).</summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        PermanentBatchException => true,
        Connectors.UpstreamException { IsTransient: false } => true,
        RunPlanException { IsTransient: false } => true,
        _ => false,
    };
}
