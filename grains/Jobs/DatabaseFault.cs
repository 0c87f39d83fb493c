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
    public static bool IsUnavailable(Exception exception) =>
        Chain(exception).Any(e => e is DatabaseUnavailableException || Storage.DatabaseErrors.IsOutage(e));

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
