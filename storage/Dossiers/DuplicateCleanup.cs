namespace Tributary.Storage.Dossiers;

/// <summary>What <see cref="IDossierStore.CleanupDuplicatesAsync"/> found and removed.</summary>
/// <param name="DuplicateIds">IDs that were stored more than once.</param>
/// <param name="RemovedCopies">Copies removed (all but the newest per ID).</param>
/// <param name="UniqueIndexPresent">Whether the store's unique index on the ID exists (then both counts are 0).</param>
public sealed record DuplicateCleanup(long DuplicateIds, long RemovedCopies, bool UniqueIndexPresent);
