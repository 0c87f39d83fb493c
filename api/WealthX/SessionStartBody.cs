using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>The optional body of <c>POST /api/wealthx/{feed}/sessions</c>: the query's parameters, by the same names.</summary>
/// <param name="MaxBatches">At most this many pages (calls), 1..1000, as the query's <c>maxBatches</c>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SessionStartBody([property: JsonPropertyName("maxBatches")] int? MaxBatches);
