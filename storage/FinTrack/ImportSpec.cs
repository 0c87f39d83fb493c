using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// One kind of row <see cref="PortfolioImporter"/> imports: the columns it accepts, how a row's fields are read, how a
/// row is checked against what is stored, and the table it is written to. The importer runs the same pipeline for
/// every kind; a spec only says what differs.
/// </summary>
/// <typeparam name="TDraft">A row as far as its fields could be read (bad fields are reported on its <see cref="RowCheck"/>).</typeparam>
/// <typeparam name="TStored">What is already stored about the drafts' keys, read once per import.</typeparam>
/// <typeparam name="TRow">A validated row, as it is written.</typeparam>
internal abstract class ImportSpec<TDraft, TStored, TRow>
{
    /// <summary>What is imported, plural (<c>transactions</c>): for logs, and the staging table's name.</summary>
    public abstract string What { get; }

    /// <summary>The columns a body may have, and those a CSV header must name.</summary>
    public abstract ImportColumns Columns { get; }

    /// <summary>The table rows are written to.</summary>
    public abstract string Table { get; }

    /// <summary>The columns <see cref="Write"/> writes, in its order.</summary>
    public abstract string TableColumns { get; }

    /// <summary>
    /// The <c>ON CONFLICT</c> target of the insert, e.g. <c>(transaction_id)</c>; empty for any unique constraint.
    /// A conflict can only be a row another import committed after this one checked, which the import lock prevents.
    /// </summary>
    public virtual string ConflictTarget => string.Empty;

    /// <summary>Reads one row's fields, reporting each bad one on <paramref name="check"/>, and refuses keys the body repeats.</summary>
    public abstract TDraft Read(RowCheck check, ImportKeys keys);

    /// <summary>Reads what is stored about the keys of <paramref name="drafts"/>, inside the import's transaction and lock.</summary>
    public abstract Task<TStored> ReadStoredAsync(NpgsqlConnection connection, IReadOnlyList<TDraft> drafts, CancellationToken cancellationToken);

    /// <summary>
    /// Checks one draft against <paramref name="stored"/>: reports conflicts on <paramref name="check"/>, or adds the
    /// row to <paramref name="rows"/> as new or unchanged.
    /// </summary>
    public abstract void Check(RowCheck check, TDraft draft, TStored stored, ImportRows<TRow> rows);

    /// <summary>Writes one row's fields in the order of <see cref="TableColumns"/>.</summary>
    public abstract void Write(NpgsqlBinaryImporter importer, TRow row);

    /// <summary>Copies <paramref name="rows"/> straight into <see cref="Table"/>, unchecked: for the demo load, whose rows are generated valid.</summary>
    public Task<ulong> CopyUncheckedAsync(NpgsqlConnection connection, IEnumerable<TRow> rows, CancellationToken cancellationToken) =>
        BinaryCopy.CopyAsync(connection, Table, TableColumns, rows, Write, cancellationToken);

    /// <summary>Refuses every field whose sent value differs from the stored one: an import never edits a stored row.</summary>
    protected static void RefuseChanges(RowCheck check, string what, params (string Field, string Stored, string Sent)[] fields)
    {
        foreach (var (field, storedValue, sent) in fields.Where(f => f.Stored != f.Sent))
        {
            check.Fail(field,
                $"{what} is already stored with {field} '{storedValue}', not '{sent}': an import never changes a stored row; send the stored value.");
        }
    }
}

/// <summary>The rows of an import that passed every check: those to insert, and a count of those already stored alike.</summary>
internal sealed class ImportRows<TRow>
{
    private readonly List<TRow> _new = [];

    public IReadOnlyList<TRow> New => _new;

    public int Unchanged { get; private set; }

    public void AddNew(TRow row) => _new.Add(row);

    public void AddUnchanged() => Unchanged++;
}
