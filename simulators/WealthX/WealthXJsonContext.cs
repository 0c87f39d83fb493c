using System.Text.Json.Serialization;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// Source-generated serialization of WealthX payloads: fixed property order and invariant formatting keep pages
/// byte-identical across runs, and pages of 500 large records serialize without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DossierPage))]
[JsonSerializable(typeof(WealthXError))]
public sealed partial class WealthXJsonContext : JsonSerializerContext;
