namespace Tributary.Storage;

/// <summary>
/// A migration file differs from the one that was applied to the database: its SHA-256 checksum no longer matches
/// the recorded one.
/// </summary>
/// <remarks>
/// An applied migration is history: editing it would leave databases that ran the old text and databases that run
/// the new one silently different. Restore the file and put the change in a new, higher-numbered migration.
/// </remarks>
public sealed class MigrationChangedException : InvalidOperationException
{
    public MigrationChangedException()
    {
    }

    public MigrationChangedException(string message)
        : base(message)
    {
    }

    public MigrationChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file name of the changed migration, e.g. <c>0002_orleans_grain_state.sql</c>.</summary>
    public string? MigrationName { get; init; }
}
