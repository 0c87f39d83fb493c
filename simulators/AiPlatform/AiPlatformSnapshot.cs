namespace Tributary.Simulators.AiPlatform;

/// <summary><c>GET /_admin/aiplatform</c>: successful logins, analyses written, and analyses by section name (ordinal order).</summary>
public sealed record AiPlatformSnapshot(long Logins, long Analyses, IReadOnlyDictionary<string, long> AnalysesBySection);
