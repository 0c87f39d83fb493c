namespace Tributary.Jobs;

/// <summary>
/// Our PostgreSQL could not be reached (down, restarting, refusing connections). It crosses silos and reaches the
/// gateway in place of the driver's own exception types, which Orleans cannot serialize, and it is never an
/// upstream's fault: the job runtime waits for the database instead of spending a batch's attempts on it.
/// </summary>
[GenerateSerializer, Alias("Tributary.Jobs.DatabaseUnavailableException")]
public sealed class DatabaseUnavailableException : Exception
{
    public const string DefaultMessage = "The database is unreachable; the work waits for it and carries on when it is back.";

    public DatabaseUnavailableException()
        : base(DefaultMessage)
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A database error that is not an outage (a constraint, a value PostgreSQL cannot store), carried across silos as
/// our own type with the SQLSTATE and the server's sentence, since the driver's exception types cannot cross.
/// </summary>
[GenerateSerializer, Alias("Tributary.Jobs.DatabaseException")]
public sealed class DatabaseException : Exception
{
    public DatabaseException()
    {
    }

    public DatabaseException(string message)
        : base(message)
    {
    }

    public DatabaseException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>PostgreSQL's SQLSTATE, when the server answered (e.g. <c>22021</c>).</summary>
    [Id(0)]
    public string? SqlState { get; init; }
}
