using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>One UTC day of a feed's pull: the dossiers its sessions' pages stored that day, and how many sessions stored them.</summary>
/// <param name="Day">The day (UTC), <c>yyyy-MM-dd</c>.</param>
/// <param name="Records">Dossiers the pages that finished that day stored (new, updated or unchanged alike).</param>
/// <param name="Sessions">Sessions with at least one page that finished that day.</param>
public sealed record WealthXDayView(
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("sessions")] int Sessions);
