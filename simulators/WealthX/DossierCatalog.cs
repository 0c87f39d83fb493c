using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// The simulated WealthX data set: how many dossiers exist, which were revised, and the pages of it. Nothing is
/// materialized; a page's dossiers are generated when it is read, so totals of hundreds of thousands cost nothing.
/// </summary>
/// <remarks>
/// Tests change the set while it is served: raising the total makes "new dossiers appear" at the end, and a
/// revision changes one dossier's content and lastModified as an upstream edit would.
/// </remarks>
public sealed class DossierCatalog
{
    private readonly DossierGenerator _generator;
    private readonly int _configuredTotal;
    private readonly ConcurrentDictionary<int, DossierRevision> _revisions = new();
    private readonly TimeProvider _time;
    private int _total;

    public DossierCatalog(IOptions<WealthXOptions> options, TimeProvider time)
    {
        _generator = new DossierGenerator(options.Value.DataSeed);
        _configuredTotal = options.Value.TotalDossiers;
        _total = _configuredTotal;
        _time = time;
    }

    public int TotalDossiers => Volatile.Read(ref _total);

    public int ConfiguredTotalDossiers => _configuredTotal;

    public void SetTotal(int total) => Volatile.Write(ref _total, total);

    /// <summary>Restores the configured total and forgets every revision.</summary>
    public void Reset()
    {
        _revisions.Clear();
        SetTotal(_configuredTotal);
    }

    /// <summary>Revisions made through the admin API, by index.</summary>
    public IReadOnlyDictionary<int, DossierRevision> Revisions => new SortedDictionary<int, DossierRevision>(_revisions);

    /// <summary>The current revision of the dossier at <paramref name="index"/>.</summary>
    public DossierRevision RevisionOf(int index) =>
        _revisions.TryGetValue(index, out var revision) ? revision : new DossierRevision(0, _generator.BaseLastModified(index));

    /// <summary>
    /// Makes the next revision of a dossier: new content and a new lastModified (today, UTC, unless given).
    /// </summary>
    public DossierRevision Revise(int index, DateOnly? lastModified)
    {
        var date = lastModified ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        return _revisions.AddOrUpdate(
            index,
            _ => new DossierRevision(1, date),
            (_, current) => new DossierRevision(current.Number + 1, date));
    }

    /// <summary>
    /// The dossiers at 1-based positions <paramref name="fromIndex"/>..<paramref name="toIndex"/> (inclusive) of the
    /// set, after <paramref name="filter"/>.
    /// </summary>
    /// <remarks>
    /// Assumption (no public source says how WealthX combines them): the lastModified filter selects a subset first,
    /// and fromIndex/toIndex then page over that subset in index order; totalDossiers is the subset's size.
    /// Filtering scans every index's date, which is a hash per index, a few milliseconds for 420,000.
    /// </remarks>
    public DossierPage ReadPage(int fromIndex, int toIndex, LastModifiedFilter filter)
    {
        var total = TotalDossiers;
        var indexes = new List<int>(Math.Max(0, Math.Min(toIndex, total) - fromIndex + 1));
        int matching;
        if (filter.IsEmpty)
        {
            matching = total;
            for (var index = fromIndex; index <= Math.Min(toIndex, total); index++)
            {
                indexes.Add(index);
            }
        }
        else
        {
            matching = 0;
            for (var index = 1; index <= total; index++)
            {
                if (!filter.Includes(RevisionOf(index).LastModified))
                {
                    continue;
                }

                matching++;
                if (matching >= fromIndex && matching <= toIndex)
                {
                    indexes.Add(index);
                }
            }
        }

        var dossiers = indexes.Select(index => _generator.Generate(index, RevisionOf(index))).ToList();
        var lastIndexId = dossiers.Count == 0 ? fromIndex - 1 : fromIndex + dossiers.Count - 1;
        return new DossierPage(matching, lastIndexId, dossiers);
    }
}
