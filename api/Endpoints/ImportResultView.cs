using Tributary.Storage.FinTrack;

namespace Tributary.Api.Endpoints;

/// <summary>An accepted import: every row was written or found unchanged (a rejected one is a 400 naming each bad field).</summary>
/// <param name="Rows">Data rows in the body.</param>
/// <param name="Inserted">Rows written now.</param>
/// <param name="Unchanged">Rows already stored with the same content: a re-post is a no-op.</param>
/// <param name="Errors">Empty: an import with a bad row is refused as a whole.</param>
/// <param name="TotalErrors">0: every error found, of which <paramref name="Errors"/> lists the first ones.</param>
/// <param name="Succeeded">True: the rows were accepted.</param>
public sealed record ImportResultView(int Rows, int Inserted, int Unchanged, IReadOnlyList<ImportErrorView> Errors, int TotalErrors, bool Succeeded)
{
    public static ImportResultView From(ImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ImportResultView(
            result.Rows, result.Inserted, result.Unchanged, result.Errors.Select(ImportErrorView.From).ToList(), result.TotalErrors, result.Succeeded);
    }
}
