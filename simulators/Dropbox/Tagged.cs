using System.Text.Json.Serialization;

namespace Tributary.Simulators.Dropbox;

/// <summary>A Dropbox union value with nothing but its tag: <c>{".tag":"not_found"}</c>.</summary>
public sealed record Tagged([property: JsonPropertyName(".tag")] string Tag);
