using System.Globalization;

namespace Tributary.Scheduling.Tests;

/// <summary>Exact instants written the way a reader checks them: UTC, ISO 8601.</summary>
internal static class Instants
{
    public static DateTimeOffset Utc(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset[] Many(params string[] isos) => isos.Select(Utc).ToArray();
}
