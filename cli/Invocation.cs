using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>One command being run: its parse result, the gateway, where it prints, and how it follows long work.</summary>
public sealed class Invocation(ParseResult parse, GatewayClient gateway, CommandOutput output, ProgressFollower progress, CancellationToken cancellation)
{
    public ParseResult Parse { get; } = parse;
    public GatewayClient Gateway { get; } = gateway;
    public CommandOutput Output { get; } = output;
    public ProgressFollower Progress { get; } = progress;
    public CancellationToken Cancellation { get; } = cancellation;

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Prints the answer; exit code 0.</summary>
    public int Print(JsonNode? node)
    {
        Output.Write(node);
        return 0;
    }

    /// <summary>Follows a job run to its end (progress bar on a terminal), prints its last view; 0 only if it succeeded.</summary>
    public async Task<int> FollowRunAsync(string title, string runId, string job)
    {
        var (view, progress) = await Progress.FollowAsync(
            title, $"/api/etl/runs/{runId}", $"?job={Uri.EscapeDataString(job)}", runId, WorkProgress.OfRun, null, Cancellation);
        return Ended(view, progress, $"Run {runId}");
    }

    /// <summary>Prints the last view of followed work; 0 if it succeeded, 1 (and why, on stderr) if not.</summary>
    public int Ended(JsonNode view, WorkProgress progress, string what)
    {
        Output.Write(view);
        if (progress.Succeeded)
        {
            return 0;
        }

        var error = view["error"] is JsonValue value && value.TryGetValue<string>(out var text) ? $": {text}" : ".";
        Output.Error.WriteLine($"{what} ended {progress.Status}{error}");
        return 1;
    }
}
