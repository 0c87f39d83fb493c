using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>
/// A feed's pull as <c>GET /api/wealthx/{feed}/status</c> shows it. The field names are those of the old Python
/// script's <c>progress.json</c>, so the tools that read that file read this document unchanged.
/// </summary>
/// <param name="CurrentIndex">Where the full pass goes on (1-based).</param>
/// <param name="RecordsInStore">Distinct dossier IDs in the store (all feeds share the store).</param>
/// <param name="CompletionPercentage"><c>records_processed / total_dossiers × 100</c>, 2 decimals, at most 100; null while the total is unknown.</param>
/// <param name="Mode"><c>full</c> until the full pass is complete, then <c>incremental</c>.</param>
/// <param name="SessionsRemaining"><c>ceil((total − processed) / session_size)</c>; 0 when complete; null while the total is unknown.</param>
/// <param name="EstimatedCompletion">See <see cref="WealthXProgressView.EstimatedCompletion"/>; null when complete, the total is unknown or no schedule is enabled.</param>
/// <param name="LastUpdated">When this document was made.</param>
/// <param name="Store"><c>postgresql</c> or <c>mongodb</c>.</param>
public sealed record WealthXStatusView(
    [property: JsonPropertyName("feed")] string Feed,
    [property: JsonPropertyName("current_index")] int CurrentIndex,
    [property: JsonPropertyName("total_dossiers")] int? TotalDossiers,
    [property: JsonPropertyName("records_processed")] long RecordsProcessed,
    [property: JsonPropertyName("records_in_store")] long RecordsInStore,
    [property: JsonPropertyName("completion_percentage")] double? CompletionPercentage,
    [property: JsonPropertyName("complete")] bool Complete,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("incremental_since")] DateOnly? IncrementalSince,
    [property: JsonPropertyName("incremental_next_index")] int IncrementalNextIndex,
    [property: JsonPropertyName("sessions_completed")] int SessionsCompleted,
    [property: JsonPropertyName("sessions_remaining")] long? SessionsRemaining,
    [property: JsonPropertyName("estimated_completion")] DateTimeOffset? EstimatedCompletion,
    [property: JsonPropertyName("current_session")] WealthXCurrentSessionView? CurrentSession,
    [property: JsonPropertyName("last_session")] WealthXLastSessionView? LastSession,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("last_error_at")] DateTimeOffset? LastErrorAt,
    [property: JsonPropertyName("last_updated")] DateTimeOffset LastUpdated,
    [property: JsonPropertyName("schedule")] WealthXScheduleSummary? Schedule,
    [property: JsonPropertyName("settings")] WealthXSettingsView Settings,
    [property: JsonPropertyName("store")] string Store);
