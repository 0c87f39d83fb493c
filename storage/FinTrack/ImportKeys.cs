namespace Tributary.Storage.FinTrack;

/// <summary>
/// Where each key of one import body first appeared, so a later row with the same key is refused with a pointer to
/// the first (a key may appear once per import).
/// </summary>
internal sealed class ImportKeys(ImportFormat format)
{
    private readonly Dictionary<string, Dictionary<string, int>> _firstLines = new(StringComparer.Ordinal);

    /// <summary>Refuses <paramref name="field"/> when an earlier row had the same <paramref name="id"/>, naming the <paramref name="noun"/> and where.</summary>
    public void RefuseRepeatedId(RowCheck check, string field, string noun, string? id) =>
        RefuseRepeat(check, field, id, where => $"Duplicate: {noun} {id} already appears at {where}; each id may appear once per import.");

    /// <summary>
    /// Refuses <paramref name="field"/> when an earlier row had the same <paramref name="key"/> in it, for the
    /// <paramref name="reason"/> given where that row is; a null key (missing or bad, already reported) is skipped.
    /// </summary>
    public void RefuseRepeat(RowCheck check, string field, string? key, Func<string, string> reason)
    {
        if (key is null)
        {
            return;
        }

        if (!_firstLines.TryGetValue(field, out var lines))
        {
            lines = new Dictionary<string, int>(StringComparer.Ordinal);
            _firstLines[field] = lines;
        }

        if (!lines.TryAdd(key, check.Line))
        {
            check.Fail(field, reason(RowCheck.Describe(lines[key], format)));
        }
    }
}
