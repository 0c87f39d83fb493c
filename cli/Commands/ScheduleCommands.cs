using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary schedules list|show|set|pause|resume|trigger</c>, on <c>/api/schedules</c>.</summary>
public static class ScheduleCommands
{
    public static Command Build(TributaryCli cli)
    {
        var list = new Command("list", "Every job schedule: cron, time zone, misfire policy, enabled, next due, last outcome.");
        cli.Handle(list, async call => call.Print(await call.Gateway.GetAsync("/api/schedules", call.Cancellation)));

        var show = JobCommand("show", "One job's schedule.");
        var next = new Option<int?>("--next") { Description = "Instead, the next N runs in UTC and in the schedule's zone." };
        show.Options.Add(next);
        cli.Handle(show, async call => call.Print(call.Value(next) is { } count
            ? await call.Gateway.GetAsync($"{Path(call, show)}/occurrences?count={count.ToString(System.Globalization.CultureInfo.InvariantCulture)}", call.Cancellation)
            : await call.Gateway.GetAsync(Path(call, show), call.Cancellation)));

        var cron = new Option<string?>("--cron") { Description = "5 fields, or 6 with seconds first." };
        var timeZone = new Option<string?>("--time-zone") { Description = "An IANA time zone (default UTC)." };
        var misfire = new Option<string?>("--misfire") { Description = "skip, once or all: what to do with occurrences missed while no silo ran." };
        var maxCatchUp = new Option<int?>("--max-catch-up") { Description = "At most this many missed occurrences run (1..1000)." };
        var enabled = new Option<bool?>("--enabled") { Description = "true or false." };
        var set = JobCommand("set", "Create or change a job's schedule; what is left out keeps its value.");
        foreach (var option in new Option[] { cron, timeZone, misfire, maxCatchUp, enabled })
        {
            set.Options.Add(option);
        }

        cli.Handle(set, async call =>
        {
            var body = JsonBody.Of(
                ("cron", call.Value(cron)), ("timeZone", call.Value(timeZone)), ("misfire", call.Value(misfire)),
                ("maxCatchUp", call.Value(maxCatchUp) is { } n ? JsonValue.Create(n) : null), ("enabled", call.Value(enabled) is { } on ? JsonValue.Create(on) : null));
            if (body.Count == 0)
            {
                throw new UsageException("Nothing to change: give at least one of --cron, --time-zone, --misfire, --max-catch-up or --enabled.");
            }

            return call.Print(await call.Gateway.PutAsync(Path(call, set), body, call.Cancellation));
        });

        var pause = JobCommand("pause", "Stop triggering the job (pending occurrences are kept).");
        cli.Handle(pause, async call => call.Print(await call.Gateway.PostAsync($"{Path(call, pause)}/pause", null, call.Cancellation)));

        var resume = JobCommand("resume", "Trigger again from now on; occurrences that fell while paused are not run.");
        cli.Handle(resume, async call => call.Print(await call.Gateway.PostAsync($"{Path(call, resume)}/resume", null, call.Cancellation)));

        var reset = JobCommand("reset", "Return the schedule to its configured default.");
        cli.Handle(reset, async call => call.Print(await call.Gateway.PostAsync($"{Path(call, reset)}/reset", null, call.Cancellation)));

        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end (a progress bar on a terminal); exit 1 unless it succeeded." };
        var trigger = JobCommand("trigger", "Start a run now (or get the running run's id).");
        trigger.Options.Add(wait);
        cli.Handle(trigger, async call =>
        {
            var ticket = await call.Gateway.PostAsync($"{Path(call, trigger)}/trigger", null, call.Cancellation);
            var job = JobOf(call, trigger);
            return call.Value(wait) ? await call.FollowRunAsync($"{job} run", JsonBody.Id(ticket, "runId"), job) : call.Print(ticket);
        });

        return new Command("schedules", "Job schedules.") { list, show, set, pause, resume, reset, trigger };
    }

    private static Command JobCommand(string name, string description) =>
        new(name, description) { new Argument<string>("JOB") { Description = "The job's name." } };

    private static string JobOf(Invocation call, Command command) => call.Value((Argument<string>)command.Arguments[0]);

    private static string Path(Invocation call, Command command) => $"/api/schedules/{JsonBody.Segment(JobOf(call, command))}";
}
