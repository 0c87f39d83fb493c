using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary vestr sync [--full]</c>: a Vestr fee sync (a run of <c>vestr_fees</c>), followed to its end.</summary>
public static class VestrCommands
{
    public const string Job = "vestr_fees";

    public static Command Build(TributaryCli cli)
    {
        var full = new Option<bool>("--full") { Description = "Everything since Vestr:FullSyncFrom instead of the last days." };
        var days = new Option<int?>("--days") { Description = "The last N days (1..3650) instead of Vestr:IncrementalDays." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the started run and return at once." };
        var sync = new Command("sync", "Sync fee deductions now and follow the run to its end.") { full, days, noWait };
        cli.Handle(sync, async call =>
        {
            var body = JsonBody.Of(("force_full", call.Value(full) ? JsonValue.Create(true) : null), ("days", call.Value(days) is { } n ? JsonValue.Create(n) : null));
            var started = await call.Gateway.PostAsync("/api/vestr/sync", body, call.Cancellation);
            return call.Value(noWait) ? call.Print(started) : await call.FollowRunAsync("Vestr fee sync", JsonBody.Id(started, "run_id"), Job);
        });

        return new Command("vestr", "Vestr fee deductions.") { sync };
    }
}
