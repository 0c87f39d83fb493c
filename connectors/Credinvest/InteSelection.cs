namespace Tributary.Connectors.Credinvest;

/// <summary>
/// Which INTE files of a listing a relay takes (PROTOCOLS.md, the seed's rules): the latest file per account and type;
/// when an account's latest 100F and 400F are more than one day apart, only the newer; and nothing more than three days
/// older than the newest INTE file of the listing. Every other file is left out with its reason.
/// </summary>
public sealed record InteSelection(IReadOnlyList<InteFile> Selected, IReadOnlyList<LeftOut> LeftOut)
{
    /// <summary>Files whose names are not INTE names at all.</summary>
    public int Ignored => LeftOut.Count(l => l.Reason.StartsWith("not an INTE file name", StringComparison.Ordinal) || l.Reason.StartsWith("its timestamp", StringComparison.Ordinal));

    public static readonly TimeSpan PairGap = TimeSpan.FromDays(1);

    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(3);

    public static InteSelection Of(IEnumerable<RemoteFile> listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var leftOut = new List<LeftOut>();
        var files = new List<InteFile>();
        foreach (var remote in listing.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (InteFile.TryParse(remote.Name, remote.Size, out var reason) is { } file)
            {
                files.Add(file);
            }
            else
            {
                leftOut.Add(new LeftOut(remote.Name, reason!));
            }
        }

        // Rule 1: the latest per account and type.
        var latest = new List<InteFile>();
        foreach (var group in files.GroupBy(f => (f.Account, f.Type)))
        {
            var newest = group.OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Name, StringComparer.Ordinal).First();
            latest.Add(newest);
            leftOut.AddRange(group.Where(f => f != newest).Select(f => new LeftOut(f.Name, $"a newer {f.TypeName} of account {f.Account} exists ({newest.Name})")));
        }

        // Rule 2: an account's 100F and 400F more than a day apart: only the newer.
        var paired = new List<InteFile>();
        foreach (var account in latest.GroupBy(f => f.Account))
        {
            var both = account.OrderByDescending(f => f.Timestamp).ToList();
            if (both.Count == 2 && both[0].Timestamp - both[1].Timestamp > PairGap)
            {
                paired.Add(both[0]);
                leftOut.Add(new LeftOut(both[1].Name,
                    $"more than one day older than account {both[1].Account}'s {both[0].TypeName} ({both[0].Name}); only the newer of the pair is sent"));
            }
            else
            {
                paired.AddRange(both);
            }
        }

        // Rule 3: nothing more than three days older than the newest INTE file of the listing.
        var selected = new List<InteFile>();
        if (files.Count > 0)
        {
            var newestOverall = files.Max(f => f.Timestamp);
            foreach (var file in paired)
            {
                if (newestOverall - file.Timestamp > MaxAge)
                {
                    leftOut.Add(new LeftOut(file.Name, $"more than three days older than the newest INTE file ({newestOverall:yyyy-MM-dd HH:mm:ss})"));
                }
                else
                {
                    selected.Add(file);
                }
            }
        }

        return new InteSelection(
            [.. selected.OrderBy(f => f.Account, StringComparer.Ordinal).ThenBy(f => f.Type)],
            [.. leftOut.OrderBy(l => l.Name, StringComparer.Ordinal)]);
    }
}
