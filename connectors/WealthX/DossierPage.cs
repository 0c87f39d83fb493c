using System.Text.Json;

namespace Tributary.Connectors.WealthX;

/// <summary>One page of <c>alldossiers</c>: the dossiers at a range of 1-based indexes, each as WealthX sent it.</summary>
/// <remarks>
/// Assumption: PROTOCOLS.md marks the reply shape (<c>totalDossiers</c>, <c>lastIndexId</c>, <c>dossiers</c>) as
/// consistent with integration code in the wild, not documented. This type is the only place callers see it, so a
/// different real shape changes this connector's reading, not the pull or the store.
/// </remarks>
/// <param name="TotalDossiers">How many dossiers match the request (all of them without <c>lastModifiedFrom</c>).</param>
/// <param name="LastIndexId">
/// The index of the last dossier returned; the next page starts at <c>LastIndexId + 1</c>. When the reply omits it,
/// <c>fromIndex - 1 + Dossiers.Count</c>.
/// </param>
/// <param name="Dossiers">
/// The dossiers in index order, each the raw JSON object WealthX sent (every one has a numeric <c>ID</c>): the store
/// upserts the documents as they are, by <c>ID</c>. Empty past the end of the data.
/// </param>
public sealed record DossierPage(int TotalDossiers, int LastIndexId, IReadOnlyList<JsonElement> Dossiers);
