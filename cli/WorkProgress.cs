using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>Where a piece of work stands, read from its status view: how far (0..100), whether it has ended, and whether it ended well.</summary>
public sealed record WorkProgress(double Percent, bool Ended, bool Succeeded, string Status)
{
    private static readonly HashSet<string> FinalRunStatuses = new(StringComparer.Ordinal) { "succeeded", "partially_succeeded", "failed" };

    /// <summary>A run (<c>/api/etl/runs/{id}</c>): its batches done out of its batches.</summary>
    public static WorkProgress OfRun(JsonNode view)
    {
        var status = Text(view["status"]);
        var total = Number(view["totalBatches"]);
        var done = view["batches"] is JsonArray batches ? batches.Count(b => Text(b?["status"]) is "succeeded" or "dead_lettered") : 0;
        return Of(status, FinalRunStatuses.Contains(status), status == "succeeded", total > 0 ? 100.0 * done / total : 0);
    }

    /// <summary>An integrated sync run (<c>/api/sync/runs/{id}</c>): its steps that have an outcome out of its steps.</summary>
    public static WorkProgress OfSync(JsonNode view)
    {
        var status = Text(view["status"]);
        var steps = view["steps"] as JsonArray ?? [];
        var done = steps.Count(s => Text(s?["status"]) is not ("pending" or "running"));
        return Of(status, FinalRunStatuses.Contains(status), status == "succeeded", steps.Count > 0 ? 100.0 * done / steps.Count : 0);
    }

    /// <summary>A bank import (<c>/api/truelayer/import/status/{id}</c>): its own percent.</summary>
    public static WorkProgress OfImport(JsonNode view)
    {
        var status = Text(view["status"]);
        return Of(status, status is "completed" or "partially_completed" or "failed", status == "completed", Number(view["progress"]?["percent"]));
    }

    /// <summary>An analysis task (<c>/task/{id}/status</c>): its sections done out of its sections.</summary>
    public static WorkProgress OfTask(JsonNode view)
    {
        var status = Text(view["status"]);
        return Of(status, status is "completed" or "completed_with_errors" or "failed", status == "completed", Number(view["progress"]?["percent"]));
    }

    private static WorkProgress Of(string status, bool ended, bool succeeded, double percent) =>
        new(ended ? 100 : Math.Clamp(percent, 0, 100), ended, succeeded, status);

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static double Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;
}
