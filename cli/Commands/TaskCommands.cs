using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary tasks submit FILE|status|result|list</c>: analysis tasks, on the seed's paths (<c>/task/...</c>, <c>/tasks</c>).</summary>
public static class TaskCommands
{
    public static Command Build(TributaryCli cli)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The portfolio: a JSON array of items, or an object {data: [...], username?, password?}." };
        var wait = new Option<bool>("--wait") { Description = "Follow the task to its end (a progress bar on a terminal), then print its result; exit 1 unless it completed." };
        var submit = new Command("submit", "Submit a portfolio for analysis.") { file, wait };
        cli.Handle(submit, async call =>
        {
            var body = await ReadPortfolioAsync(call.Value(file), call.Cancellation);
            var submitted = await call.Gateway.PostAsync("/task/submit", body, call.Cancellation);
            var id = JsonBody.Id(submitted, "task_id");
            if (!call.Value(wait))
            {
                return call.Print(submitted);
            }

            var (view, progress) = await call.Progress.FollowAsync("Analysis task", $"/task/{id}/status", string.Empty, id, WorkProgress.OfTask, null, call.Cancellation);
            if (!progress.Succeeded)
            {
                return call.Ended(view, progress, $"Task {id}");
            }

            return call.Print(await call.Gateway.GetAsync($"/task/{id}/result", call.Cancellation));
        });

        var statusId = TaskArgument();
        var status = new Command("status", "A task's status, per-section progress and timings.") { statusId };
        cli.Handle(status, async call => call.Print(await call.Gateway.GetAsync($"/task/{JsonBody.Segment(call.Value(statusId))}/status", call.Cancellation)));

        var resultId = TaskArgument();
        var result = new Command("result", "A finished task's analysis per section.") { resultId };
        cli.Handle(result, async call => call.Print(await call.Gateway.GetAsync($"/task/{JsonBody.Segment(call.Value(resultId))}/result", call.Cancellation)));

        var limit = new Option<int?>("--limit") { Description = "At most this many (1..100, default 20)." };
        var statusFilter = new Option<string?>("--status") { Description = "Only tasks with this status (pending, running, completed, completed_with_errors, failed)." };
        var list = new Command("list", "Your tasks, newest first.") { limit, statusFilter };
        cli.Handle(list, async call => call.Print(await call.Gateway.GetAsync(
            "/tasks" + JsonBody.Query(("limit", call.Value(limit)?.ToString(CultureInfo.InvariantCulture)), ("status", call.Value(statusFilter))), call.Cancellation)));

        return new Command("tasks", "Portfolio analysis tasks.") { submit, status, result, list };
    }

    private static Argument<string> TaskArgument() => new("TASK_ID") { Description = "The task_id submit answered." };

    private static async Task<JsonNode> ReadPortfolioAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CommandFailedException($"There is no file {file.FullName}.");
        }

        JsonNode? content;
        try
        {
            await using var stream = file.OpenRead();
            content = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new CommandFailedException($"{file.FullName} is not JSON: {exception.Message}", exception);
        }

        return content switch
        {
            JsonArray items => new JsonObject { ["data"] = items.DeepClone() },
            JsonObject portfolio => portfolio,
            _ => throw new CommandFailedException($"{file.FullName} holds neither a JSON array of items nor an object with data."),
        };
    }
}
