using System.Text.Json.Serialization;

namespace Tributary.Simulators.AiPlatform;

/// <summary>Source-generated serialization of the platform's payloads, in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AiPlatformError))]
[JsonSerializable(typeof(LoginReply))]
[JsonSerializable(typeof(AnalysisReply))]
public sealed partial class AiPlatformJsonContext : JsonSerializerContext;
