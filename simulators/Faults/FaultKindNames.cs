using System.Diagnostics.CodeAnalysis;

namespace Tributary.Simulators.Faults;

/// <summary>
/// The wire names of <see cref="FaultKind"/> (<c>429</c>, <c>5xx</c>, <c>latency</c>, <c>malformed</c>,
/// <c>reset</c>), used in configuration, the admin API and the request log.
/// </summary>
public static class FaultKindNames
{
    public const string TooManyRequests = "429";
    public const string ServerError = "5xx";
    public const string Latency = "latency";
    public const string Malformed = "malformed";
    public const string Reset = "reset";

    /// <summary>All names, in the order error messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [TooManyRequests, ServerError, Latency, Malformed, Reset];

    public static string ToName(FaultKind kind) => kind switch
    {
        FaultKind.TooManyRequests => TooManyRequests,
        FaultKind.ServerError => ServerError,
        FaultKind.Latency => Latency,
        FaultKind.Malformed => Malformed,
        FaultKind.Reset => Reset,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown fault kind."),
    };

    /// <summary>Parses a wire name, ignoring case.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out FaultKind? kind)
    {
        kind = name?.Trim().ToLowerInvariant() switch
        {
            TooManyRequests => FaultKind.TooManyRequests,
            ServerError => FaultKind.ServerError,
            Latency => FaultKind.Latency,
            Malformed => FaultKind.Malformed,
            Reset => FaultKind.Reset,
            _ => null,
        };
        return kind is not null;
    }
}
