using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>One batch of a session's run: one page, the index range <c>from_index..to_index</c> (1-based, inclusive).</summary>
/// <param name="Records">
/// The records the range covers, for a succeeded batch: its size, cut at the pass's reported total when known. The
/// run keeps no per-page record count (a batch's processed items are pages), so a short page inside the data would
/// be counted in full; the session's <c>records</c> is the exact sum. Null for a batch not (yet) succeeded.
/// </param>
/// <param name="DurationMs">The time the batch took, retries included; null while it runs.</param>
public sealed record WealthXBatchView(
    [property: JsonPropertyName("batch_index")] int BatchIndex,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("from_index")] int? FromIndex,
    [property: JsonPropertyName("to_index")] int? ToIndex,
    [property: JsonPropertyName("records")] int? Records,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("duration_ms")] int? DurationMs,
    [property: JsonPropertyName("error")] string? Error);
