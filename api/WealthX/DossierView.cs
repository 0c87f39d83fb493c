using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Storage.Dossiers;

namespace Tributary.Api.WealthX;

/// <summary>A stored dossier: the JSON WealthX sent (as a JSON object, not a string) and the times the store keeps.</summary>
/// <param name="ContentHash">Lower-case hex SHA-256 of the canonical JSON; it changes exactly when the content does.</param>
public sealed record DossierView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("document")] JsonElement Document,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("last_seen_at")] DateTimeOffset LastSeenAt,
    [property: JsonPropertyName("content_hash")] string ContentHash)
{
    public static DossierView From(StoredDossier stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var json = JsonDocument.Parse(stored.Document.RawJson);
        return new DossierView(stored.Document.Id, json.RootElement.Clone(), stored.CreatedAt, stored.UpdatedAt, stored.LastSeenAt, stored.ContentHash);
    }
}
