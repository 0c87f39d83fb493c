using Tributary.Storage.FinTrack;

namespace Tributary.Api.Endpoints;

/// <summary>Why one field of one row of an import was refused.</summary>
/// <param name="Line">For CSV the 1-based line the record starts on; for JSON the zero-based index in the array; -1 for the whole body.</param>
/// <param name="Field">The column or property name; <c>$</c> for the whole body or row.</param>
/// <param name="Reason">What is wrong and what a valid value looks like.</param>
public sealed record ImportErrorView(int Line, string Field, string Reason)
{
    public static ImportErrorView From(ImportError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ImportErrorView(error.Line, error.Field, error.Reason);
    }
}
