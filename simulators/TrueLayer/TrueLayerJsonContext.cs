using System.Text.Json.Serialization;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// Source-generated serialization of TrueLayer payloads in their snake_case; absent optional fields are left out,
/// as the real API does, and pages of thousands of transactions serialize without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrueLayerError))]
[JsonSerializable(typeof(TokenReply))]
[JsonSerializable(typeof(DataResults<MeResult>))]
[JsonSerializable(typeof(DataResults<AccountResult>))]
[JsonSerializable(typeof(DataResults<CardResult>))]
[JsonSerializable(typeof(DataResults<BalanceResult>))]
[JsonSerializable(typeof(DataResults<TransactionResult>))]
public sealed partial class TrueLayerJsonContext : JsonSerializerContext;
