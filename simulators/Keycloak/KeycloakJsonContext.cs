using System.Text.Json.Serialization;

namespace Tributary.Simulators.Keycloak;

/// <summary>Source-generated serialization of Keycloak's OAuth payloads, in their snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KeycloakError))]
[JsonSerializable(typeof(KeycloakTokenReply))]
public sealed partial class KeycloakJsonContext : JsonSerializerContext;
