using System.Text.Json.Serialization;

namespace Tributary.Connectors.MarketData;

// The feed's JSON as sent (an assumption of ours, documented with the simulator in simulators/README.md). Kept
// apart from the public records so a real feed's payload can replace these without touching callers.

internal sealed record QuotesWire(IReadOnlyList<QuoteWire> Quotes, IReadOnlyList<string>? Unknown = null);

internal sealed record QuoteWire(string Symbol, decimal Price, string Currency, DateOnly AsOf);

internal sealed record IndicesWire(IReadOnlyList<IndexLevelWire> Indices, IReadOnlyList<string>? Unknown = null);

internal sealed record IndexLevelWire(string Symbol, decimal Level, DateOnly AsOf);

internal sealed record HistoryWire(IReadOnlyList<SymbolHistoryWire> History, IReadOnlyList<string>? Unknown = null);

internal sealed record SymbolHistoryWire(string Symbol, IReadOnlyList<DailyCloseWire> Days);

internal sealed record DailyCloseWire(DateOnly Date, decimal Close);

/// <summary>
/// Strict reading: a reply missing a required field, or with a null where the shape has none, fails to parse
/// and so counts as malformed (transient) instead of surfacing as a zero price.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(QuotesWire))]
[JsonSerializable(typeof(IndicesWire))]
[JsonSerializable(typeof(HistoryWire))]
internal sealed partial class MarketDataWireContext : JsonSerializerContext;
