using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>The session under way: the pull grain's counters and the run's batches (one batch is one page, one call).</summary>
/// <param name="BatchesPlanned">Pages the session planned.</param>
/// <param name="BatchesDone">Batches of the run that succeeded.</param>
/// <param name="BatchesFailed">Batches of the run that were dead-lettered.</param>
/// <param name="Records">Dossiers the session stored; <paramref name="Inserted"/> + <paramref name="Updated"/> + <paramref name="Unchanged"/> split them.</param>
public sealed record WealthXCurrentSessionView(
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
    [property: JsonPropertyName("batches")] IReadOnlyList<WealthXBatchView> Batches);
