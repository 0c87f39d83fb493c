using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>
/// A feed's pull as <c>GET /api/wealthx/{feed}/status</c> shows it. It carries the seven fields of the old Python
/// script's <c>progress.json</c> with that file's names and meanings (<c>last_processed_index</c>,
/// <c>total_records</c>, <c>records_processed</c>, <c>session_id</c>, <c>session_start</c>,
/// <c>completion_percentage</c>, <c>estimated_remaining_days</c>), so the tools that read that file read this
/// document; the other fields are ours, beside them.
/// </summary>
/// <param name="LastProcessedIndex">The seed's field: the last index of the full pass that is stored (1-based); 0 before the first page.</param>
/// <param name="TotalRecords">The seed's field: the total the API last reported for the full pass; null before the first page (as <paramref name="TotalDossiers"/>).</param>
/// <param name="RecordsProcessed">The seed's field: records the full pass stored, each index once.</param>
/// <param name="SessionId">
/// The seed's field: the current session's, or else the last one's, start as <c>yyyyMMdd_HHmmss</c> in the feed's
/// zone (<c>WealthX:TimeZone</c>); null before the first session. The run id is <c>current_session.run_id</c>.
/// </param>
/// <param name="SessionStart">The seed's field: the same start in ISO 8601 local time without offset, <c>yyyy-MM-ddTHH:mm:ss.ffffff</c> in <c>WealthX:TimeZone</c> (Python's <c>datetime.isoformat()</c>).</param>
/// <param name="EstimatedRemainingDays">
/// The seed's field: <c>(total_records − records_processed) / records_per_day</c>, where <c>records_per_day</c> is the
/// enabled schedule's sessions per day (over the next 7 whole days in its zone) times <c>SessionSize</c>; 2 decimals. 0 when complete;
/// null while the total is unknown or no schedule is enabled.
/// </param>
/// <param name="CurrentIndex">Where the full pass goes on (1-based): <c>last_processed_index + 1</c>.</param>
/// <param name="RecordsInStore">
/// Dossiers stored (distinct IDs) in the feed's store, as counted at <paramref name="RecordsInStoreCountedAt"/>:
/// the count is kept in memory and taken again at most every few seconds, so a poll never scans the store.
/// </param>
/// <param name="CompletionPercentage"><c>records_processed / total_dossiers × 100</c>, 2 decimals, at most 100; null while the total is unknown.</param>
/// <param name="Mode"><c>full</c> until the full pass is complete, then <c>incremental</c>.</param>
/// <param name="SessionsRemaining"><c>ceil((total − processed) / session_size)</c>; 0 when complete; null while the total is unknown.</param>
/// <param name="EstimatedCompletion">See <see cref="WealthXProgressView.EstimatedCompletion"/>; null when complete, the total is unknown or no schedule is enabled.</param>
/// <param name="LastUpdated">When this document was made.</param>
/// <param name="Store"><c>postgresql</c> or <c>mongodb</c>.</param>
public sealed record WealthXStatusView(
    [property: JsonPropertyName("feed")] string Feed,
    [property: JsonPropertyName("last_processed_index")] int LastProcessedIndex,
    [property: JsonPropertyName("total_records")] int? TotalRecords,
    [property: JsonPropertyName("records_processed")] long RecordsProcessed,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("session_start")] string? SessionStart,
    [property: JsonPropertyName("completion_percentage")] double? CompletionPercentage,
    [property: JsonPropertyName("estimated_remaining_days")] double? EstimatedRemainingDays,
    [property: JsonPropertyName("current_index")] int CurrentIndex,
    [property: JsonPropertyName("total_dossiers")] int? TotalDossiers,
    [property: JsonPropertyName("records_in_store")] long RecordsInStore,
    [property: JsonPropertyName("records_in_store_counted_at")] DateTimeOffset? RecordsInStoreCountedAt,
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
