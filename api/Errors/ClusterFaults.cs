using Tributary.Jobs;
using Tributary.Storage;

namespace Tributary.Api.Errors;

/// <summary>Errors that mean "try again shortly": a silo dying or unreachable, or our database down. Never a bug, never the caller's fault.</summary>
public static class ClusterFaults
{
    /// <summary>Orleans' words for a call that did not reach a live silo, or whose silo died while it ran.</summary>
    private static readonly HashSet<string> ClusterTypeNames = new(StringComparer.Ordinal)
    {
        "SiloUnavailableException",
        "OrleansMessageRejectionException",
        "ConnectionFailedException",
        "ConnectionAbortedException",
        "ConnectionResetException",
        "GatewayTooBusyException",
        "ClientNotAvailableException",
        "OrleansLifecycleCanceledException",
    };

    /// <summary>Silo failover: the call may succeed on another silo in a moment.</summary>
    public static bool IsFailover(Exception exception) => Chain(exception).Any(e =>
        ClusterTypeNames.Contains(e.GetType().Name)
        // A grain call that got no answer in time: its silo was probably killed under it.
        || (e is TimeoutException && e.GetType().Namespace is "System"));

    /// <summary>Our PostgreSQL is unreachable, as seen by a silo (our own type) or by the gateway's own reads (the driver's).</summary>
    public static bool IsDatabaseOutage(Exception exception) =>
        Chain(exception).Any(e => e is DatabaseUnavailableException || DatabaseErrors.IsOutage(e));

    public static bool IsTransient(Exception exception) => IsFailover(exception) || IsDatabaseOutage(exception);

    private static IEnumerable<Exception> Chain(Exception exception) => DatabaseErrors.Chain(exception);
}
