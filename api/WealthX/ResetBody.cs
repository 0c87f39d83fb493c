using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>Body of <c>POST /api/wealthx/{feed}/reset</c>: <c>confirm</c>, as the query takes it; nothing else.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ResetBody([property: JsonPropertyName("confirm")] bool? Confirm = null);
