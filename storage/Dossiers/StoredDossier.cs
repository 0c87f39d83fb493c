namespace Tributary.Storage.Dossiers;

/// <summary>A dossier as stored, with the times the store keeps about it.</summary>
/// <param name="Document">The dossier; its <see cref="DossierDocument.RawJson"/> is the stored JSON.</param>
/// <param name="CreatedAt">When the ID was first written; never changes.</param>
/// <param name="UpdatedAt">When the content last changed (equals <paramref name="CreatedAt"/> until it does).</param>
/// <param name="LastSeenAt">When the ID was last written, changed or not.</param>
/// <param name="ContentHash">Lower-case hex SHA-256 of the canonical JSON (<see cref="DossierContentHash"/>).</param>
public sealed record StoredDossier(
    DossierDocument Document,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastSeenAt,
    string ContentHash);
