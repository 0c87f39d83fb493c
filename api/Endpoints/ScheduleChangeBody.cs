namespace Tributary.Api.Endpoints;

/// <summary>Body of <c>PUT /api/schedules/{job}</c>: fields left out (or null) keep their value, or take the default on a new schedule.</summary>
/// <param name="Cron">5 fields, or 6 with seconds first; required for a job without a schedule.</param>
/// <param name="TimeZone">IANA id; default <c>UTC</c>.</param>
/// <param name="Misfire"><c>skip</c> (default), <c>once</c> or <c>all</c>, in any case.</param>
/// <param name="MaxCatchUp">1..1000; default 10.</param>
/// <param name="Enabled">Default true.</param>
public sealed record ScheduleChangeBody(string? Cron = null, string? TimeZone = null, string? Misfire = null, int? MaxCatchUp = null, bool? Enabled = null);
