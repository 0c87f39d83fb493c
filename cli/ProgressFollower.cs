using System.Text.Json.Nodes;
using Spectre.Console;

namespace Tributary.Cli;

/// <summary>
/// Follows a piece of work to its end: it reads the work's status view whenever the gateway's event stream
/// (<c>/api/events</c>) carries an event that names it, and at least once a second besides (the fallback when the stream
/// is quiet or cannot be opened). On a terminal a progress bar shows how far it got, ending at 100 %.
/// </summary>
public sealed class ProgressFollower(GatewayClient gateway, CliTerminal terminal, bool showBar)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <param name="title">The bar's label.</param>
    /// <param name="statusPath">The route of the work's status view.</param>
    /// <param name="eventsQuery">The event stream's filter (e.g. <c>?job=vestr_fees</c>).</param>
    /// <param name="id">The work's id: an event whose data names it wakes the follower.</param>
    /// <param name="read">How far the view says the work is.</param>
    /// <param name="onView">Called with every view read (e.g. to log a sync's step changes).</param>
    /// <returns>The last view, the one that says the work has ended.</returns>
    public async Task<(JsonNode View, WorkProgress Progress)> FollowAsync(
        string title, string statusPath, string eventsQuery, string id, Func<JsonNode, WorkProgress> read, Action<JsonNode>? onView, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var nudges = new SemaphoreSlim(0);
        var listener = ListenAsync(eventsQuery, id, nudges, stop.Token);
        try
        {
            if (!showBar)
            {
                return await LoopAsync(statusPath, read, onView, nudges, _ => { }, cancellationToken);
            }

            (JsonNode View, WorkProgress Progress) last = default;
            await terminal.ProgressConsole().Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: 100);
                    last = await LoopAsync(statusPath, read, onView, nudges, progress =>
                    {
                        task.Value = progress.Percent;
                        task.Description = Markup.Escape($"{title} ({progress.Status})");
                    }, cancellationToken);
                    task.Value = 100;
                    task.StopTask();
                });
            return last;
        }
        finally
        {
            await stop.CancelAsync();
            await listener;
        }
    }

    private async Task<(JsonNode View, WorkProgress Progress)> LoopAsync(
        string statusPath, Func<JsonNode, WorkProgress> read, Action<JsonNode>? onView, SemaphoreSlim nudges, Action<WorkProgress> show, CancellationToken cancellationToken)
    {
        while (true)
        {
            var view = await gateway.GetAsync(statusPath, cancellationToken)
                ?? throw new CommandFailedException($"GET {statusPath} answered no body.");
            onView?.Invoke(view);
            var progress = read(view);
            show(progress);
            if (progress.Ended)
            {
                return (view, progress);
            }

            await nudges.WaitAsync(PollInterval, cancellationToken);
            // Events that came in a burst make one read, not one each.
            while (nudges.CurrentCount > 0)
            {
                await nudges.WaitAsync(0, cancellationToken);
            }
        }
    }

    /// <summary>Wakes the loop on every event that names the work; ends quietly when stopped or when the stream fails (polling goes on).</summary>
    private async Task ListenAsync(string query, string id, SemaphoreSlim nudges, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await gateway.OpenEventsAsync(query, cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(id, StringComparison.OrdinalIgnoreCase))
                {
                    nudges.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the work has ended.
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or CommandFailedException)
        {
            // No stream: the once-a-second reads carry on alone.
        }
    }
}
