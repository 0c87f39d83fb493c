using System.Net.Sockets;
using Npgsql;

namespace Tributary.Jobs;

/// <summary>Tells our database's outages apart from everything else, wherever in an exception's chain they hide.</summary>
/// <remarks>
/// Orleans wraps storage errors (grain state, reminders) in its own exceptions, and a grain call can carry a
/// <see cref="DatabaseUnavailableException"/> from another silo; all of them mean the same thing to the runtime.
/// </remarks>
public static class DatabaseFault
{
    /// <summary>True when the error means PostgreSQL could not be reached or is restarting, so waiting and retrying will do.</summary>
    public static bool IsUnavailable(Exception exception) => Chain(exception).Any(e => e switch
    {
        DatabaseUnavailableException => true,
        // 08: connection exceptions; 57P01..03: admin/crash shutdown, cannot connect now; 53300: too many connections.
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => false,
    });

    /// <summary>True when any exception in the chain came from our database (an outage or any other server error).</summary>
    public static bool IsDatabase(Exception exception) =>
        Chain(exception).Any(e => e is NpgsqlException or DatabaseUnavailableException or DatabaseException);

    /// <summary>
    /// Our own serializable stand-in for a database error, so that it can cross silos and reach the gateway; null when
    /// <paramref name="exception"/> has nothing to do with the database.
    /// </summary>
    public static Exception? Portable(Exception exception)
    {
        if (IsUnavailable(exception))
        {
            return exception as DatabaseUnavailableException ?? new DatabaseUnavailableException();
        }

        return Chain(exception).FirstOrDefault(e => e is NpgsqlException or DatabaseException) switch
        {
            DatabaseException own => own,
            PostgresException p => new DatabaseException($"The database refused the operation ({p.SqlState}): {p.MessageText}") { SqlState = p.SqlState },
            NpgsqlException n => new DatabaseException($"The database operation failed: {n.Message}"),
            _ => null,
        };
    }

    private static IEnumerable<Exception> Chain(Exception exception)
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
