namespace Tributary.Storage.Dossiers;

/// <summary>What both stores do to a page before writing it.</summary>
internal static class DossierPage
{
    /// <summary>
    /// One row per ID, the last occurrence winning, in first-seen order: an upsert cannot write one key twice in a
    /// statement, and a later copy in the same reply is the newer one.
    /// </summary>
    public static List<DossierDocument> LastPerId(IReadOnlyList<DossierDocument> page)
    {
        var index = new Dictionary<long, int>(page.Count);
        var rows = new List<DossierDocument>(page.Count);
        foreach (var dossier in page)
        {
            ArgumentNullException.ThrowIfNull(dossier, nameof(page));
            if (index.TryGetValue(dossier.Id, out var at))
            {
                rows[at] = dossier;
            }
            else
            {
                index[dossier.Id] = rows.Count;
                rows.Add(dossier);
            }
        }

        return rows;
    }

    /// <summary>The store's clock, truncated to milliseconds so both stores (MongoDB keeps milliseconds) agree.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
