using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary wealthx status|session|reset|cleanup|projection</c>: the old <c>main.py --status / --max-batches / --reset /
/// --cleanup</c> and <c>config_summary.py</c>, on a WealthX feed's routes (<c>/api/wealthx/{feed}/...</c>).
/// </summary>
public static class WealthXCommands
{
    private static readonly Option<string> Feed = new("--feed")
    {
        Description = "The WealthX feed (its job is wealthx_{feed}).",
        DefaultValueFactory = _ => "default",
        Recursive = true,
    };

    public static Command Build(TributaryCli cli)
    {
        var status = new Command("status", "The pull's progress: cursor, totals, sessions, estimate, schedule, settings.");
        cli.Handle(status, async run => run.Print(await run.Gateway.GetAsync($"{Base(run)}/status", run.Cancellation)));

        var maxBatches = new Option<int?>("--max-batches") { Description = "Cap the session's calls (1..1000)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the started run and return at once." };
        var session = new Command("session", "Run a session now and follow it to its end (or join the running one).") { maxBatches, noWait };
        cli.Handle(session, async run =>
        {
            var body = JsonBody.Of(("maxBatches", run.Value(maxBatches) is { } n ? JsonValue.Create(n) : null));
            var ticket = await run.Gateway.PostAsync($"{Base(run)}/sessions", body, run.Cancellation);
            if (run.Value(noWait))
            {
                return run.Print(ticket);
            }

            var feed = run.Value(Feed)!;
            return await run.FollowRunAsync($"WealthX {feed} session", JsonBody.Id(ticket, "runId"), $"wealthx_{feed}");
        });

        var confirm = new Option<bool>("--confirm") { Description = "Required: the pull starts over from index 1 and forgets its counters (stored dossiers are kept)." };
        var reset = new Command("reset", "Admin key: start the pull over from index 1 (refused while a session runs).") { confirm };
        cli.Handle(reset, async run =>
        {
            if (!run.Value(confirm))
            {
                throw new UsageException("wealthx reset starts the pull over from index 1 and forgets its counters (stored dossiers are kept): add --confirm to do it.");
            }

            return run.Print(await run.Gateway.PostAsync($"{Base(run)}/reset", new JsonObject { ["confirm"] = true }, run.Cancellation));
        });

        var cleanup = new Command("cleanup", "Admin key: remove all but the newest copy of every dossier stored more than once.");
        cli.Handle(cleanup, async run => run.Print(await run.Gateway.PostAsync($"{Base(run)}/cleanup", null, run.Cancellation)));

        var projection = new Command("projection", "What the settings and schedule add up to: calls per session, records per day, days to finish.");
        cli.Handle(projection, async run => run.Print(await run.Gateway.GetAsync($"{Base(run)}/projection", run.Cancellation)));

        return new Command("wealthx", "The WealthX dossier pull.") { Feed, status, session, reset, cleanup, projection };
    }

    private static string Base(Invocation run) => $"/api/wealthx/{JsonBody.Segment(run.Value(Feed)!)}";
}
