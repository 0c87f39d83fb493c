using System.Net.Sockets;
using Npgsql;

namespace Tributary.Storage;

/// <summary>What the driver's errors say about our PostgreSQL: an outage (wait and retry) or something else.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// True when <paramref name="exception"/> (itself, not its chain) means PostgreSQL could not be reached or is restarting:
    /// connection failures, admin or crash shutdown, "cannot connect now", too many connections.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => false,
    };

    /// <summary>The exception, its inner exceptions and those of aggregates, outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.TryPop(out var current) && seen++ < 32)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
