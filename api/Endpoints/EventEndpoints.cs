using System.Globalization;
using Tributary.Api.Events;
using Tributary.Storage.Events;

namespace Tributary.Api.Endpoints;

/// <summary>
/// <c>GET /api/events</c>: the outbox as a Server-Sent Events stream. Each event's id is its outbox sequence,
/// so a client that reconnects with <c>Last-Event-ID</c> resumes exactly after the last event it saw.
/// </summary>
public static class EventEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", StreamAsync)
            .WithTags("Events")
            .WithSummary("Server-Sent Events of job progress and completion (CloudEvents JSON). Filters: type, job (comma-separated). Resume with Last-Event-ID or ?after=; ?after=latest starts at what comes next.");
        return app;
    }

    /// <summary>The cursor that starts the stream after the newest event stored.</summary>
    private const string Latest = "latest";

    private static async Task StreamAsync(HttpContext context, Outbox outbox, OutboxNotifier notifier, string? type = null, string? job = null, string? after = null)
    {
        var cursorText = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? after;
        long cursor = 0;
        if (cursorText == Latest)
        {
            // Only what happens from now on: a client following one piece of work need not read the whole history.
            cursor = await outbox.LatestSequenceAsync(context.RequestAborted);
        }
        else if (cursorText is not null && (!long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)))
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["Last-Event-ID"] = [$"An event id from this stream (a whole number), or '{Latest}' for only what comes next; was '{cursorText}'."],
            }).ExecuteAsync(context);
            return;
        }

        var types = Split(type);
        var jobs = Split(job);
        var cancellation = context.RequestAborted;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync(": connected\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);

        var lastWrite = DateTime.UtcNow;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var events = await outbox.ReadAsync(cursor, 500, types, jobs, cancellation);
                foreach (var stored in events)
                {
                    await context.Response.WriteAsync($"id: {stored.Sequence}\nevent: {stored.Type}\ndata: {stored.Json}\n\n", cancellation);
                    cursor = stored.Sequence;
                }

                if (events.Count > 0)
                {
                    await context.Response.Body.FlushAsync(cancellation);
                    lastWrite = DateTime.UtcNow;
                    continue;
                }

                if (DateTime.UtcNow - lastWrite >= KeepAlive)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancellation);
                    await context.Response.Body.FlushAsync(cancellation);
                    lastWrite = DateTime.UtcNow;
                }

                await notifier.WaitAsync(TimeSpan.FromSeconds(1), cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
