namespace Tributary.Simulators.WealthX;

/// <summary>The <c>alldossiers</c> response (shape per PROTOCOLS.md, an assumption there).</summary>
/// <param name="TotalDossiers">How many dossiers match the request's filters (all of them without filters).</param>
/// <param name="LastIndexId">
/// The index of the last dossier returned; when none is returned, <c>fromIndex - 1</c>, so the next call always
/// starts at <c>lastIndexId + 1</c>.
/// </param>
/// <param name="Dossiers">The dossiers of the requested range that exist, in index order.</param>
public sealed record DossierPage(int TotalDossiers, int LastIndexId, IReadOnlyList<Dossier> Dossiers);
