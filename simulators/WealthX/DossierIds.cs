namespace Tributary.Simulators.WealthX;

/// <summary>
/// The mapping between a dossier's position in the unfiltered data set (1-based index) and its WealthX <c>ID</c>.
/// </summary>
/// <remarks>
/// IDs deliberately differ from indexes, as in the real service, so a client that confuses the two fails visibly.
/// </remarks>
public static class DossierIds
{
    public const int Offset = 100_000;

    public static int FromIndex(int index) => Offset + index;

    public static int ToIndex(int id) => id - Offset;
}
