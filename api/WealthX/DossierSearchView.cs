using System.Text.Json.Serialization;

namespace Tributary.Api.WealthX;

/// <summary>One page of a dossier search, in ID order.</summary>
/// <param name="Total">Every match of the query, across pages.</param>
public sealed record DossierSearchView(
    [property: JsonPropertyName("items")] IReadOnlyList<DossierView> Items,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit);
