using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary truelayer plan|start|status|history</c>: bank imports, on <c>/api/truelayer/import</c>.</summary>
public static class TrueLayerCommands
{
    public const string ImportJob = "truelayer_import";

    public static Command Build(TributaryCli cli)
    {
        var connection = new Option<string>("--connection") { Description = "The bank connection (GET /api/truelayer/connections lists them).", Required = true };
        var from = new Option<string?>("--from") { Description = "First day (YYYY-MM-DD)." };
        var to = new Option<string?>("--to") { Description = "Last day (YYYY-MM-DD)." };
        var accounts = new Option<string[]>("--account") { Description = "Only these accounts (repeat the option); all when left out.", AllowMultipleArgumentsPerToken = false };
        var autoEnrich = new Option<bool>("--auto-enrich") { Description = "Categorise the transactions once imported." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Transactions per call." };
        var maxWorkers = new Option<int?>("--max-workers") { Description = "Accounts imported at a time." };
        var plan = new Command("plan", "Plan an import: checks the range and accounts, estimates transactions, duration and cost. Nothing runs yet.")
        {
            connection, from, to, accounts, autoEnrich, batchSize, maxWorkers,
        };
        cli.Handle(plan, async call =>
        {
            var chosen = call.Value(accounts) is { Length: > 0 } ids ? new JsonArray([.. ids.Select(id => (JsonNode?)JsonValue.Create(id))]) : null;
            var body = JsonBody.Of(
                ("connection_id", call.Value(connection)), ("from_date", call.Value(from)), ("to_date", call.Value(to)), ("account_ids", chosen),
                ("auto_enrich", call.Value(autoEnrich) ? JsonValue.Create(true) : null),
                ("batch_size", call.Value(batchSize) is { } size ? JsonValue.Create(size) : null),
                ("max_workers", call.Value(maxWorkers) is { } workers ? JsonValue.Create(workers) : null));
            return call.Print(await call.Gateway.PostAsync("/api/truelayer/import/plan", body, call.Cancellation));
        });

        var startJob = JobArgument();
        var wait = new Option<bool>("--wait") { Description = "Follow the import to its end (a progress bar on a terminal); exit 1 unless it completed." };
        var start = new Command("start", "Start a planned import.") { startJob, wait };
        cli.Handle(start, async call =>
        {
            var id = call.Value(startJob);
            var started = await call.Gateway.PostAsync("/api/truelayer/import/start", new JsonObject { ["job_id"] = id }, call.Cancellation);
            if (!call.Value(wait))
            {
                return call.Print(started);
            }

            var (view, progress) = await call.Progress.FollowAsync(
                "Bank import", $"/api/truelayer/import/status/{JsonBody.Segment(id)}", $"?job={ImportJob}", id, WorkProgress.OfImport, null, call.Cancellation);
            return call.Ended(view, progress, $"Import {id}");
        });

        var statusJob = JobArgument();
        var status = new Command("status", "An import's progress: accounts done, per-account counts, totals, estimated completion.") { statusJob };
        cli.Handle(status, async call => call.Print(await call.Gateway.GetAsync($"/api/truelayer/import/status/{JsonBody.Segment(call.Value(statusJob))}", call.Cancellation)));

        var user = new Option<string?>("--user") { Description = "Another user's imports (admin key)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (1..500, default 50)." };
        var history = new Command("history", "Imports, newest first.") { user, limit };
        cli.Handle(history, async call => call.Print(await call.Gateway.GetAsync(
            "/api/truelayer/import/history" + JsonBody.Query(("user_id", call.Value(user)), ("limit", call.Value(limit)?.ToString(CultureInfo.InvariantCulture))), call.Cancellation)));

        return new Command("truelayer", "Bank transaction imports through TrueLayer.") { plan, start, status, history };
    }

    private static Argument<string> JobArgument() => new("JOB_ID") { Description = "The import's job_id, as plan answered it." };
}
