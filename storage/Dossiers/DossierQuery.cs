namespace Tributary.Storage.Dossiers;

/// <summary>A dossier search: every given criterion must match.</summary>
/// <param name="Name">Case-insensitive substring of <c>fullName</c>, <c>firstName</c> or <c>lastName</c>; null for any.</param>
/// <param name="Category">Exact <c>dossierCategory</c> (for example <c>UHNW</c>); null for any.</param>
/// <param name="Offset">Matches to skip, in ID order (0 or more).</param>
/// <param name="Limit">Matches to return, 1..1000.</param>
public sealed record DossierQuery(string? Name = null, string? Category = null, int Offset = 0, int Limit = 50)
{
    /// <summary>The largest <see cref="Limit"/> a search accepts.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Throws an <see cref="ArgumentException"/> that names the bad field.</summary>
    public void Validate()
    {
        if (Offset < 0)
        {
            throw new ArgumentException($"offset must be 0 or more, was {Offset}.", nameof(Offset));
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be 1..{MaxLimit}, was {Limit}.", nameof(Limit));
        }
    }
}
