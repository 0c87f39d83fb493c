namespace Tributary.Storage.Dossiers;

/// <summary>
/// Where the WealthX pull keeps dossiers, one per upstream <c>ID</c>. Every implementation passes the same contract
/// suite (<c>tests/Tributary.WealthX.Tests/Dossiers</c>).
/// </summary>
/// <remarks>
/// Writes are idempotent: a page stored twice (a retried session, a duplicated reminder tick) changes nothing but
/// <see cref="StoredDossier.LastSeenAt"/>. <see cref="StoredDossier.UpdatedAt"/> moves only when the content hash
/// (<see cref="DossierContentHash"/>) changes, and <see cref="StoredDossier.CreatedAt"/> never moves after the insert.
/// Timestamps come from the store's <see cref="TimeProvider"/>, truncated to milliseconds.
/// </remarks>
public interface IDossierStore
{
    /// <summary>
    /// Inserts or updates one page of dossiers in one bulk write (PostgreSQL: one transaction, the page sent once by
    /// binary COPY and merged by one statement; MongoDB: one <c>BulkWrite</c>), never row by row. When an ID occurs
    /// more than once in the page, the last occurrence wins and the ID is counted once.
    /// </summary>
    Task<DossierUpsertResult> UpsertPageAsync(IReadOnlyList<DossierDocument> page, CancellationToken cancellationToken);

    /// <summary>The dossier with <paramref name="id"/>, or <see langword="null"/> when none is stored.</summary>
    Task<StoredDossier?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Dossiers matching <paramref name="query"/>, ordered by ID, with the total number of matches.</summary>
    Task<DossierSearchPage> SearchAsync(DossierQuery query, CancellationToken cancellationToken);

    /// <summary>The number of distinct dossier IDs stored.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Finds IDs stored more than once and removes all but the newest copy of each (latest
    /// <see cref="StoredDossier.LastSeenAt"/>, then <see cref="StoredDossier.UpdatedAt"/>).
    /// </summary>
    /// <remarks>
    /// Both stores keep a unique index on the ID, so this reports zero unless that index has been dropped (for
    /// example by a restore of the seed's MongoDB collection without its indexes); it is the operators' check, not a
    /// routine job.
    /// </remarks>
    Task<DuplicateCleanup> CleanupDuplicatesAsync(CancellationToken cancellationToken);
}
