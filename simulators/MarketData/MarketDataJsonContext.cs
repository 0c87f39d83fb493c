using System.Text.Json.Serialization;

namespace Tributary.Simulators.MarketData;

/// <summary>
/// Source-generated serialization of the feed's payloads: fixed property order and invariant number formatting
/// keep replies byte-identical across processes.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QuotesReply))]
[JsonSerializable(typeof(IndicesReply))]
[JsonSerializable(typeof(HistoryReply))]
[JsonSerializable(typeof(MarketDataError))]
public sealed partial class MarketDataJsonContext : JsonSerializerContext;
