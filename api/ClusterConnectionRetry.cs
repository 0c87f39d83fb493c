namespace Tributary.Api;

/// <summary>
/// Keeps the gateway's Orleans client trying while no silo answers (run.sh and rolling deploys start silos
/// and gateways in any order) instead of failing the gateway's start.
/// </summary>
public sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger, TimeProvider time) : IClientConnectionRetryFilter
{
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogNoSilo(logger, exception.GetType().Name, Pause.TotalSeconds);
        await Task.Delay(Pause, time, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No silo reachable yet ({Reason}); retrying in {Seconds} s")]
    private static partial void LogNoSilo(ILogger logger, string reason, double seconds);
}
