using System.Text.Json.Serialization;

namespace Tributary.Api.Endpoints;

/// <summary>
/// The optional body of a route that starts work and takes no parameters (<c>POST /api/etl/dead-letters/{id}/replay</c>,
/// <c>POST /api/schedules/{job}/trigger</c>): <c>{}</c> or nothing; any field is refused, so a caller who thinks it
/// passes something learns that it does not.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NoParametersBody;
