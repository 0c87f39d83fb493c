using System.Text.Json.Serialization;

namespace Tributary.Api.Endpoints;

/// <summary>The optional body of <c>POST /api/etl/dead-letters/replay</c>: the query's <c>job</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReplayAllBody([property: JsonPropertyName("job")] string? Job);
