using System.Net.Http.Headers;

namespace Tributary.Connectors;

/// <summary>
/// An upstream call failed. Every connector throws this, so the job runtime decides about retries the
/// same way for all of them: transient (429, 5xx, timeouts, resets, malformed bodies) or permanent
/// (400, 401, 403, 404), and how long the upstream asked us to wait.
/// </summary>
/// <remarks>Messages name the upstream and say what to do; they never contain credentials.</remarks>
public sealed class UpstreamException : Exception
{
    public UpstreamException()
    {
    }

    public UpstreamException(string message)
        : base(message)
    {
    }

    public UpstreamException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public UpstreamException(string upstream, string message, int? statusCode, bool isTransient, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Upstream = upstream;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    /// <summary>A failure the upstream named with its own error code (TrueLayer's <c>invalid_grant</c>, <c>sca_exceeded</c>).</summary>
    public UpstreamException(string upstream, string message, int? statusCode, bool isTransient, string? errorCode, TimeSpan? retryAfter = null, Exception? inner = null)
        : this(upstream, message, statusCode, isTransient, retryAfter, inner)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Which upstream, e.g. <c>marketdata</c>.</summary>
    public string Upstream { get; } = string.Empty;

    /// <summary>The HTTP status, or null when no response came (timeout, reset).</summary>
    public int? StatusCode { get; }

    /// <summary>True when the same call may succeed later.</summary>
    public bool IsTransient { get; }

    /// <summary>The upstream's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The upstream's own error code, when its error body named one (the <c>error</c> of
    /// <c>{"error":"invalid_grant","error_description":"..."}</c>), e.g. <c>invalid_grant</c>, <c>sca_exceeded</c>,
    /// <c>provider_too_many_requests</c>; null when it sent none or no reply came.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>
    /// Whether a failed HTTP status may succeed on a later attempt: 408, 429 and every 5xx; other 4xx (400, 401,
    /// 403, 404, ...) are the request's fault and fail the same way again.
    /// </summary>
    public static bool IsTransientStatus(int statusCode) =>
        statusCode is 408 or 429 or (>= 500 and <= 599);

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for, given as delta-seconds or as an HTTP-date (measured from
    /// <paramref name="now"/>); never negative; null when the header is absent.
    /// </summary>
    public static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta > TimeSpan.Zero ? delta : TimeSpan.Zero,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
