namespace Tributary.Storage.FinTrack;

/// <summary>Why one field of one row of an import was refused.</summary>
/// <param name="Line">
/// Where the row is: for CSV the 1-based line number the record starts on (the header is line 1, so the first data
/// row is line 2); for JSON the zero-based index of the element in the array. <see cref="DocumentLine"/> (-1) marks
/// a problem with the whole body (not a JSON array, malformed JSON, an empty or bad CSV header row).
/// </param>
/// <param name="Field">The column or property name, e.g. <c>quantity</c>; <c>$</c> for the whole body or row.</param>
/// <param name="Reason">A sentence saying what is wrong and what a valid value looks like.</param>
public sealed record ImportError(int Line, string Field, string Reason)
{
    /// <summary>The <see cref="Line"/> of an error about the body as a whole.</summary>
    public const int DocumentLine = -1;

    /// <summary>The <see cref="Field"/> of an error about the whole body or a whole row.</summary>
    public const string WholeRow = "$";
}
