namespace Tributary.Simulators.RequestLog;

/// <summary>The request log's bound, <c>Simulators:RequestLog:Capacity</c>.</summary>
public sealed class RequestLogOptions
{
    public const string Section = "Simulators:RequestLog";

    /// <summary>How many of the latest entries are kept; older ones are dropped so a long run cannot exhaust memory.</summary>
    public int Capacity { get; set; } = 100_000;
}
