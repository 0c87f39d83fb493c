namespace Tributary.Storage.Dossiers;

/// <summary>One page of search results.</summary>
/// <param name="Items">The matches of the page, in ID order.</param>
/// <param name="Total">All matches of the query, across pages.</param>
public sealed record DossierSearchPage(IReadOnlyList<StoredDossier> Items, long Total);
