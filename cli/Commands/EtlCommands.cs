using System.CommandLine;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary etl run JOB [--wait] | runs | dead-letters [replay [ID]]</c>, on <c>/api/etl</c>.</summary>
public static class EtlCommands
{
    public static Command Build(TributaryCli cli)
    {
        var job = new Argument<string>("JOB") { Description = "The job's name (GET /api/etl/jobs lists them)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end (a progress bar on a terminal); exit 1 unless it succeeded." };
        var accountId = new Option<string?>("--account-id") { Description = "Only this account." };
        var from = new Option<string?>("--from") { Description = "History from (YYYY-MM-DD)." };
        var to = new Option<string?>("--to") { Description = "History to (YYYY-MM-DD)." };
        var run = new Command("run", "Start a run of JOB (or get the running one's id).") { job, wait, accountId, from, to };
        cli.Handle(run, async call =>
        {
            var name = call.Value(job);
            var body = JsonBody.Of(("account_id", call.Value(accountId)), ("from", call.Value(from)), ("to", call.Value(to)));
            var ticket = await call.Gateway.PostAsync($"/api/etl/{JsonBody.Segment(name)}/runs", body, call.Cancellation);
            return call.Value(wait) ? await call.FollowRunAsync($"{name} run", JsonBody.Id(ticket, "runId"), name) : call.Print(ticket);
        });

        var jobFilter = new Option<string?>("--job") { Description = "Only this job's." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status (queued, running, succeeded, partially_succeeded, failed, paused)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (1..500, default 50)." };
        var runs = new Command("runs", "Runs, newest first.") { jobFilter, status, limit };
        cli.Handle(runs, async call => call.Print(await call.Gateway.GetAsync(
            "/api/etl/runs" + JsonBody.Query(("job", call.Value(jobFilter)), ("status", call.Value(status)), ("limit", call.Value(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            call.Cancellation)));

        var letterJob = new Option<string?>("--job") { Description = "Only this job's.", Recursive = true };
        var includeReplayed = new Option<bool>("--include-replayed") { Description = "Also those already replayed." };
        var id = new Argument<long?>("ID") { Description = "The dead letter to replay; every open one (of --job, or all) when left out.", Arity = ArgumentArity.ZeroOrOne };
        var replay = new Command("replay", "Replay one dead letter, or every open one (one run per job).") { id };
        cli.Handle(replay, async call => call.Print(call.Value(id) is { } one
            ? await call.Gateway.PostAsync($"/api/etl/dead-letters/{one.ToString(System.Globalization.CultureInfo.InvariantCulture)}/replay", null, call.Cancellation)
            : await call.Gateway.PostAsync("/api/etl/dead-letters/replay", JsonBody.Of(("job", call.Value(letterJob))), call.Cancellation)));

        // --job filters the listing and the replay-all alike.
        var deadLetters = new Command("dead-letters", "Batches that exhausted their retries.") { letterJob, includeReplayed, replay };
        cli.Handle(deadLetters, async call => call.Print(await call.Gateway.GetAsync(
            "/api/etl/dead-letters" + JsonBody.Query(("job", call.Value(letterJob)), ("include_replayed", call.Value(includeReplayed) ? "true" : null)), call.Cancellation)));

        var jobs = new Command("jobs", "The jobs the cluster knows, with their batch settings.");
        cli.Handle(jobs, async call => call.Print(await call.Gateway.GetAsync("/api/etl/jobs", call.Cancellation)));

        return new Command("etl", "Job runs and dead letters.") { run, runs, deadLetters, jobs };
    }
}
