using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Simulators.Vestr;

/// <summary>Source-generated serialization of the Vestr simulator's own JSON (error-only replies, admin replies), camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GraphQLErrorBody))]
[JsonSerializable(typeof(List<FeeDeductionEntry>))]
[JsonSerializable(typeof(FeeCorrectionsReply))]
[JsonSerializable(typeof(VestrSnapshot))]
public sealed partial class VestrJsonContext : JsonSerializerContext;
