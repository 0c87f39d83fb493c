using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Faults;

/// <summary>Carries out a drawn fault on one request.</summary>
public sealed class FaultInjector(TimeProvider time)
{
    /// <summary>
    /// Applies <paramref name="fault"/> to the request, calling <paramref name="next"/> where the fault lets it
    /// through; <paramref name="beforeAbort"/> runs just before a reset aborts the connection, while the client is
    /// still waiting.
    /// </summary>
    public async Task ApplyAsync(FaultRule fault, SimulatedRoute route, HttpContext context, RequestDelegate next, Action beforeAbort)
    {
        switch (fault.Kind)
        {
            case FaultKind.TooManyRequests:
                var retryAfter = fault.RetryAfterSeconds ?? FaultRule.DefaultRetryAfterSeconds;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await route.Errors.WriteAsync(context, new UpstreamError(StatusCodes.Status429TooManyRequests, retryAfter));
                return;

            case FaultKind.ServerError:
                var status = fault.Status ?? FaultRule.DefaultStatus;
                context.Response.StatusCode = status;
                await route.Errors.WriteAsync(context, new UpstreamError(status));
                return;

            case FaultKind.Latency:
                await DelayAtLeastAsync(TimeSpan.FromMilliseconds(fault.LatencyMs ?? 0), context.RequestAborted);
                await next(context);
                return;

            case FaultKind.Malformed:
                await WriteTruncatedAsync(context, next);
                return;

            case FaultKind.Reset:
                // Kestrel closes the connection without a response: the client sees a transport error, as when a
                // load balancer drops the connection mid-request.
                beforeAbort();
                context.Abort();
                return;

            default:
                throw new UnreachableException($"Fault kind {fault.Kind} has no implementation.");
        }
    }

    /// <summary>
    /// Waits until the full delay has elapsed by the monotonic clock; a timer may fire a little early, and tests
    /// assert the delay as a lower bound.
    /// </summary>
    private async Task DelayAtLeastAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var left = delay; left > TimeSpan.Zero; left = delay - time.GetElapsedTime(started))
        {
            await Task.Delay(left, time, cancellationToken);
        }
    }

    /// <summary>
    /// Runs the real handler into a buffer and sends the first half of its body as a complete 200 response, so
    /// the client receives well-framed HTTP carrying JSON that does not parse.
    /// </summary>
    private static async Task WriteTruncatedAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
        }

        var body = buffer.ToArray();

        // Half of any JSON document of two bytes or more is unbalanced; an empty or one-byte body gets an opening
        // that cannot parse either.
        var truncated = body.Length >= 2 ? body.AsMemory(0, body.Length / 2) : "{\""u8.ToArray();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = truncated.Length;
        await context.Response.Body.WriteAsync(truncated, context.RequestAborted);
    }
}
