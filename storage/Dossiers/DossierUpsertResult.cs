namespace Tributary.Storage.Dossiers;

/// <summary>What one <see cref="IDossierStore.UpsertPageAsync"/> call did, per distinct ID of the page.</summary>
/// <param name="Inserted">IDs that were not stored before.</param>
/// <param name="Updated">Stored IDs whose content hash changed (their <c>updated_at</c> moved).</param>
/// <param name="Unchanged">Stored IDs with the same content (only <c>last_seen_at</c> moved).</param>
public sealed record DossierUpsertResult(int Inserted, int Updated, int Unchanged)
{
    /// <summary>The number of distinct IDs written.</summary>
    public int Total => Inserted + Updated + Unchanged;
}
