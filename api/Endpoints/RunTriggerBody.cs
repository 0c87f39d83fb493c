using System.Text.Json.Serialization;

namespace Tributary.Api.Endpoints;

/// <summary>The optional body of <c>POST /api/etl/{job}/runs</c>: the query's parameters, by the same names.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RunTriggerBody(
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To);
