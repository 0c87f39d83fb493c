using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>
/// What a feed's settings and schedule add up to: the old script's <c>config_summary</c> table, field for field.
/// Built by <see cref="WealthXProjection.Compute"/>.
/// </summary>
/// <param name="RecordsPerCall">Records one call asks for (<c>ApiBatchSize</c>).</param>
/// <param name="CallsPerSession">Calls of a full session: <c>ceil(session_size / api_batch_size)</c>.</param>
/// <param name="RecordsPerSession">Records a session takes (<c>SessionSize</c>).</param>
/// <param name="MinCallIntervalSeconds">The least time between two calls.</param>
/// <param name="SessionDurationSeconds">
/// The least time a full session takes: <c>(calls_per_session − 1) × min_call_interval</c>, since the first call goes
/// at once and each later one waits the interval (the calls' own response time is not counted).
/// </param>
/// <param name="SessionsPerDay">Sessions the cron starts per day, averaged over the next 7 days.</param>
/// <param name="CallsPerDay"><c>sessions_per_day × calls_per_session</c>.</param>
/// <param name="RecordsPerDay"><c>sessions_per_day × records_per_session</c>.</param>
/// <param name="TotalDossiers">The API's last reported total; null before the first page.</param>
/// <param name="RecordsRemaining">Records the full pass still has to take; null while the total is unknown.</param>
/// <param name="DaysToFinish"><c>records_remaining / records_per_day</c>; null while the total is unknown or when the cron starts no session in 7 days.</param>
/// <param name="ShortestGapBetweenSessionsSeconds">The shortest time between two consecutive starts over the next 7 days; null with fewer than two starts.</param>
/// <param name="SafetyBufferSeconds">
/// <c>shortest_gap − session_duration</c>: how much a session may slow down (retries, Retry-After waits) before it
/// would still be running when the next one is due.
/// </param>
/// <param name="Schedule">The cron the numbers come from (the feed's schedule, else the <c>WealthX:Schedule</c> setting).</param>
/// <param name="TimeZone">The zone the cron is read in.</param>
public sealed record WealthXProjectionView(
    [property: JsonPropertyName("records_per_call")] int RecordsPerCall,
    [property: JsonPropertyName("calls_per_session")] int CallsPerSession,
    [property: JsonPropertyName("records_per_session")] int RecordsPerSession,
    [property: JsonPropertyName("min_call_interval_seconds")] double MinCallIntervalSeconds,
    [property: JsonPropertyName("session_duration_seconds")] double SessionDurationSeconds,
    [property: JsonPropertyName("sessions_per_day")] double SessionsPerDay,
    [property: JsonPropertyName("calls_per_day")] double CallsPerDay,
    [property: JsonPropertyName("records_per_day")] double RecordsPerDay,
    [property: JsonPropertyName("total_dossiers")] int? TotalDossiers,
    [property: JsonPropertyName("records_remaining")] long? RecordsRemaining,
    [property: JsonPropertyName("days_to_finish")] double? DaysToFinish,
    [property: JsonPropertyName("shortest_gap_between_sessions_seconds")] double? ShortestGapBetweenSessionsSeconds,
    [property: JsonPropertyName("safety_buffer_seconds")] double? SafetyBufferSeconds,
    [property: JsonPropertyName("schedule")] string Schedule,
    [property: JsonPropertyName("time_zone")] string TimeZone);
