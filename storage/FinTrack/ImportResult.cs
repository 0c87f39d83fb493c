namespace Tributary.Storage.FinTrack;

/// <summary>The outcome of one import: either every row was accepted, or nothing was written and every bad row is listed.</summary>
/// <param name="Rows">Data rows in the body.</param>
/// <param name="Inserted">Rows written now (0 when <see cref="Errors"/> is not empty).</param>
/// <param name="Unchanged">Rows already stored with the same content: a re-post is a no-op (0 when <see cref="Errors"/> is not empty).</param>
/// <param name="Errors">The refused fields of the bad rows, ordered by line then field (the first ones found, up to <c>Imports:MaxErrorsListed</c>); empty on success.</param>
public sealed record ImportResult(int Rows, int Inserted, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Every error found; more than <see cref="Errors"/> lists when the import had more than it keeps (<c>Imports:MaxErrorsListed</c>).</summary>
    public int TotalErrors { get; init; }

    /// <summary>True when the rows were accepted (and written or found unchanged).</summary>
    public bool Succeeded => Errors.Count == 0;
}
