using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>
/// What a feed's settings and schedule add up to. The first ten fields are the old script's <c>config_summary</c>
/// rows with its names and meanings (<c>api_batch_size</c> .. <c>safety_buffer_days</c>); the rest are ours, beside
/// them. Built by <see cref="WealthXProjection.Compute"/>.
/// </summary>
/// <param name="ApiBatchSize">The seed's row: records per call (<c>WealthX:ApiBatchSize</c>).</param>
/// <param name="ProcessingBatchSize">The seed's row: records per session (<c>WealthX:SessionSize</c>).</param>
/// <param name="ApiCallsPerSession">The seed's row: calls of a full session, <c>ceil(processing_batch_size / api_batch_size)</c>.</param>
/// <param name="RunsPerDay">The seed's row: sessions the cron starts per day, averaged over the next 7 whole days in its zone.</param>
/// <param name="RecordsPerDay">The seed's row: <c>runs_per_day × processing_batch_size</c>.</param>
/// <param name="ApiCallsPerDay">The seed's row: <c>runs_per_day × api_calls_per_session</c>.</param>
/// <param name="TargetDays">The seed's row: the days the full pass is meant to take (<c>WealthX:TargetDays</c>).</param>
/// <param name="TotalCapacity">The seed's row: records the schedule can take in the target days, <c>records_per_day × target_days</c>.</param>
/// <param name="CompletionTimeDays">
/// The seed's row: days a full pass of every record takes, <c>total_dossiers / records_per_day</c> (the whole total,
/// not what is left: see <paramref name="DaysToFinish"/>); null while the total is unknown or when the cron starts no session in 7 days.
/// </param>
/// <param name="SafetyBufferDays">The seed's row: <c>target_days − completion_time_days</c>, negative when the pass would overrun; null with <paramref name="CompletionTimeDays"/>.</param>
/// <param name="RecordsPerCall">Records one call asks for (<c>ApiBatchSize</c>).</param>
/// <param name="CallsPerSession">Calls of a full session: <c>ceil(session_size / api_batch_size)</c>.</param>
/// <param name="RecordsPerSession">Records a session takes (<c>SessionSize</c>).</param>
/// <param name="MinCallIntervalSeconds">The least time between two calls.</param>
/// <param name="SessionDurationSeconds">
/// The least time a full session takes: <c>(calls_per_session − 1) × min_call_interval</c>, since the first call goes
/// at once and each later one waits the interval (the calls' own response time is not counted).
/// </param>
/// <param name="SessionsPerDay">The same as <paramref name="RunsPerDay"/>.</param>
/// <param name="CallsPerDay"><c>sessions_per_day × calls_per_session</c>.</param>
/// <param name="TotalDossiers">The API's last reported total; null before the first page.</param>
/// <param name="RecordsRemaining">Records the full pass still has to take; null while the total is unknown.</param>
/// <param name="DaysToFinish"><c>records_remaining / records_per_day</c>; null while the total is unknown or when the cron starts no session in 7 days.</param>
/// <param name="ShortestGapBetweenSessionsSeconds">The shortest time between two consecutive starts over the next 7 days; null with fewer than two starts.</param>
/// <param name="SafetyBufferSeconds">
/// Not the seed's buffer (that is <paramref name="SafetyBufferDays"/>): <c>shortest_gap − session_duration</c>, how much a session may slow down (retries, Retry-After waits) before it
/// would still be running when the next one is due.
/// </param>
/// <param name="Schedule">The cron the numbers come from (the feed's schedule, else the <c>WealthX:Schedule</c> setting).</param>
/// <param name="TimeZone">The zone the cron is read in.</param>
public sealed record WealthXProjectionView(
    [property: JsonPropertyName("api_batch_size")] int ApiBatchSize,
    [property: JsonPropertyName("processing_batch_size")] int ProcessingBatchSize,
    [property: JsonPropertyName("api_calls_per_session")] int ApiCallsPerSession,
    [property: JsonPropertyName("runs_per_day")] double RunsPerDay,
    [property: JsonPropertyName("records_per_day")] double RecordsPerDay,
    [property: JsonPropertyName("api_calls_per_day")] double ApiCallsPerDay,
    [property: JsonPropertyName("target_days")] int TargetDays,
    [property: JsonPropertyName("total_capacity")] double TotalCapacity,
    [property: JsonPropertyName("completion_time_days")] double? CompletionTimeDays,
    [property: JsonPropertyName("safety_buffer_days")] double? SafetyBufferDays,
    [property: JsonPropertyName("records_per_call")] int RecordsPerCall,
    [property: JsonPropertyName("calls_per_session")] int CallsPerSession,
    [property: JsonPropertyName("records_per_session")] int RecordsPerSession,
    [property: JsonPropertyName("min_call_interval_seconds")] double MinCallIntervalSeconds,
    [property: JsonPropertyName("session_duration_seconds")] double SessionDurationSeconds,
    [property: JsonPropertyName("sessions_per_day")] double SessionsPerDay,
    [property: JsonPropertyName("calls_per_day")] double CallsPerDay,
    [property: JsonPropertyName("total_dossiers")] int? TotalDossiers,
    [property: JsonPropertyName("records_remaining")] long? RecordsRemaining,
    [property: JsonPropertyName("days_to_finish")] double? DaysToFinish,
    [property: JsonPropertyName("shortest_gap_between_sessions_seconds")] double? ShortestGapBetweenSessionsSeconds,
    [property: JsonPropertyName("safety_buffer_seconds")] double? SafetyBufferSeconds,
    [property: JsonPropertyName("schedule")] string Schedule,
    [property: JsonPropertyName("time_zone")] string TimeZone);
