using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>The last session that ended: the counters of <see cref="WealthXCurrentSessionView"/> without its batches, and how it ended.</summary>
/// <param name="Status">The run's final status (<c>succeeded</c>, <c>partially_succeeded</c>, <c>failed</c>).</param>
public sealed record WealthXLastSessionView(
    [property: JsonPropertyName("run_id")] Guid RunId,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("since")] DateOnly? Since,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("start_index")] int StartIndex,
    [property: JsonPropertyName("batches_planned")] int BatchesPlanned,
    [property: JsonPropertyName("batches_done")] int BatchesDone,
    [property: JsonPropertyName("batches_failed")] int BatchesFailed,
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("inserted")] long Inserted,
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("unchanged")] long Unchanged,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("error")] string? Error);
