namespace Tributary.Simulators.Faults;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>429 with a <c>Retry-After</c> header and the upstream's rate-limit body.</summary>
    TooManyRequests,

    /// <summary>A 5xx status (503 unless configured) with the upstream's error body.</summary>
    ServerError,

    /// <summary>Added delay before the real response.</summary>
    Latency,

    /// <summary>200 with the real body cut in half, so it is not valid JSON.</summary>
    Malformed,

    /// <summary>The connection is aborted without a response.</summary>
    Reset,
}
