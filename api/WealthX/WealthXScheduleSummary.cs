using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>The feed's schedule in the status document (the full view is <c>GET /api/schedules/wealthx_{feed}</c>).</summary>
/// <param name="NextDue">The next occurrence; null while paused.</param>
public sealed record WealthXScheduleSummary(
    [property: JsonPropertyName("cron")] string? Cron,
    [property: JsonPropertyName("time_zone")] string? TimeZone,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("next_due")] DateTimeOffset? NextDue);
