namespace Tributary.Simulators.AiPlatform;

/// <summary>The simulated AI platform (login, one analysis per portfolio section), bound from <c>Simulators:AiPlatform</c>.</summary>
public sealed class AiPlatformOptions
{
    public const string Section = "Simulators:AiPlatform";

    public const int MaxTokenSeconds = 86_400;

    /// <summary>The most latency an analysis may be given: ten minutes.</summary>
    public const int MaxLatencyMs = 600_000;

    /// <summary>The one user of the platform (a dev-only fake).</summary>
    public string Username { get; set; } = "tributary-sim";

    /// <summary>The user's password (a dev-only fake).</summary>
    public string Password { get; set; } = "sim-ai-password-dev-only";

    /// <summary>Expected in the <c>X-API-Key</c> header of every call (a dev-only fake).</summary>
    public string ApiKey { get; set; } = "sim-ai-key-dev-only";

    /// <summary>Expected in the <c>X-Tenant-Id</c> header of every call.</summary>
    public string TenantId { get; set; } = "tributary";

    /// <summary>Lifetime of an access token, sent as <c>expires_in</c>.</summary>
    public int TokenSeconds { get; set; } = 3600;

    /// <summary>
    /// Milliseconds every analysis takes before its reply (the model's "thinking" time), waited on the registered
    /// <see cref="TimeProvider"/>; 0 answers at once. The knob the analysis-task benchmark turns.
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// How far each analysis's latency may stray from <see cref="LatencyMs"/>, either way (0..LatencyMs): each takes
    /// <c>LatencyMs + u</c> with <c>u</c> drawn uniformly from <c>-LatencyJitterMs..LatencyJitterMs</c>, so the mean stays
    /// <see cref="LatencyMs"/>. 0 (the default) gives every analysis exactly <see cref="LatencyMs"/>. A real model's time
    /// varies; a fixed time keeps concurrent callers in lockstep (every call started together ends together).
    /// </summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>Seeds the sequence of latency offsets: the same seed gives the same latencies in the same order.</summary>
    public int LatencyJitterSeed { get; set; } = 1;
}
