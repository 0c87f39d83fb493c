using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>The options the feed runs with, as the silos report them.</summary>
public sealed record WealthXSettingsView(
    [property: JsonPropertyName("api_batch_size")] int ApiBatchSize,
    [property: JsonPropertyName("session_size")] int SessionSize,
    [property: JsonPropertyName("min_call_interval_seconds")] double MinCallIntervalSeconds);
