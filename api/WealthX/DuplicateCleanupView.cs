using System.Text.Json.Serialization;
using Tributary.Storage.Dossiers;

namespace Tributary.Api.WealthX;

/// <summary>What a duplicate cleanup found and removed.</summary>
/// <param name="DuplicateIds">IDs that were stored more than once.</param>
/// <param name="RemovedCopies">Copies removed (all but the newest of each ID).</param>
/// <param name="UniqueIndexPresent">The store's unique index on the ID exists (then there is nothing to remove).</param>
public sealed record DuplicateCleanupView(
    [property: JsonPropertyName("duplicate_ids")] long DuplicateIds,
    [property: JsonPropertyName("removed_copies")] long RemovedCopies,
    [property: JsonPropertyName("unique_index_present")] bool UniqueIndexPresent)
{
    public static DuplicateCleanupView From(DuplicateCleanup cleanup)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        return new DuplicateCleanupView(cleanup.DuplicateIds, cleanup.RemovedCopies, cleanup.UniqueIndexPresent);
    }
}
