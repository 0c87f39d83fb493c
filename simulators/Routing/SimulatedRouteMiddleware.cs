using System.Diagnostics;
using Tributary.Simulators.Faults;
using Tributary.Simulators.RequestLog;

namespace Tributary.Simulators.Routing;

/// <summary>
/// Wraps every simulated route: draws a fault for the request, applies it, and records the exchange in the
/// request log. Endpoints without <see cref="SimulatedRoute"/> metadata (admin, health) pass straight through.
/// </summary>
/// <remarks>Runs after routing, so the selected endpoint and its metadata are known.</remarks>
public sealed class SimulatedRouteMiddleware(
    RequestDelegate next,
    FaultBook faults,
    FaultInjector injector,
    RequestJournal journal,
    TimeProvider time,
    ILogger<SimulatedRouteMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<SimulatedRoute>();
        if (route is null)
        {
            await next(context);
            return;
        }

        var arrivedUtc = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        // A Dropbox content call names its file in the Dropbox-API-Arg header, not the path: a rule's pathContains
        // sees that header after the path, so one file's uploads can be failed for good.
        var target = context.Request.Path.Value ?? "/";
        if (context.Request.Headers.TryGetValue("Dropbox-API-Arg", out var argument))
        {
            target = $"{target}\n{argument}";
        }

        var fault = faults.Draw(route.Name, target);
        var faultName = fault is null ? null : FaultKindNames.ToName(fault.Kind);
        if (faultName is not null)
        {
            LogInjected(faultName, route, context.Request);
        }

        // The entry is written when the response starts, before any byte reaches the client, so a test that has
        // its response can read the log at once without polling.
        var recorded = 0;
        void Record(int? status)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                journal.Record(new RequestLogEntry(
                    Sequence: 0,
                    TimeUtc: arrivedUtc,
                    Route: route.Name,
                    Method: context.Request.Method,
                    PathAndQuery: context.Request.Path + context.Request.QueryString,
                    Status: status,
                    Fault: faultName,
                    DurationMs: Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
        }

        context.Response.OnStarting(() =>
        {
            Record(context.Response.StatusCode);
            return Task.CompletedTask;
        });

        try
        {
            if (fault is null)
            {
                await next(context);
            }
            else
            {
                // A reset sends no status line at all; the log says so with null rather than a status never sent.
                await injector.ApplyAsync(fault, route, context, next, beforeAbort: () => Record(null));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (during injected latency, say): nothing was sent and nothing can be.
            Record(null);
        }
    }

    private void LogInjected(string faultName, SimulatedRoute route, HttpRequest request)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            SimulatorLog.FaultInjected(logger, faultName, route.Name, request.Method, request.Path.Value ?? "/");
        }
    }
}
