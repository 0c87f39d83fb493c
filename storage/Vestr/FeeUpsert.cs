namespace Tributary.Storage.Vestr;

/// <summary>What one <see cref="VestrFeeStore.UpsertAsync"/> call did.</summary>
/// <param name="Inserted">Ids not stored before.</param>
/// <param name="Updated">Ids stored before with at least one different value.</param>
/// <param name="Unchanged">Ids stored before with every value equal (their row, <c>updated_at</c> included, was left alone).</param>
/// <param name="Touched">The distinct (product, day) pairs of inserted and updated rows, plus the old pair of an updated
/// row that moved to another day or product: the days whose aggregates are out of date.</param>
public sealed record FeeUpsert(int Inserted, int Updated, int Unchanged, IReadOnlyList<TouchedDay> Touched)
{
    /// <summary>The records of the call after rows with the same id collapsed.</summary>
    public int Records => Inserted + Updated + Unchanged;
}
