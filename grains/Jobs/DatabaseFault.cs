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

    private static IEnumerable<Exception> Chain(Exception exception) => Storage.DatabaseErrors.Chain(exception);
}
