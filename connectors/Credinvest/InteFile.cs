using System.Globalization;
using System.Text.RegularExpressions;

namespace Tributary.Connectors.Credinvest;

/// <summary>An INTE file's name read as Credinvest writes it: <c>&lt;account&gt;-&lt;yyyyMMddHHmmss&gt;-INTE100F.xlsx</c> or <c>...-INTE400F.xlsx</c>.</summary>
public sealed partial record InteFile(string Name, string Account, DateTime Timestamp, InteFileType Type, long Size)
{
    /// <summary>The report type as it appears in the name and in the failed-account report ("Account 12345 - INTE100F").</summary>
    public string TypeName => Type == InteFileType.Inte100F ? "INTE100F" : "INTE400F";

    /// <summary>The file's INTE reading, or null with the reason it is not one.</summary>
    public static InteFile? TryParse(string name, long size, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = Pattern().Match(name);
        if (!match.Success)
        {
            reason = "not an INTE file name (<account>-<yyyyMMddHHmmss>-INTE100F.xlsx or -INTE400F.xlsx)";
            return null;
        }

        if (!DateTime.TryParseExact(match.Groups["stamp"].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            reason = $"its timestamp {match.Groups["stamp"].Value} is not a date and time (yyyyMMddHHmmss)";
            return null;
        }

        reason = null;
        var type = match.Groups["type"].Value == "100" ? InteFileType.Inte100F : InteFileType.Inte400F;
        return new InteFile(name, match.Groups["account"].Value, timestamp, type, size);
    }

    [GeneratedRegex(@"^(?<account>[0-9]+)-(?<stamp>[0-9]{14})-INTE(?<type>100|400)F\.xlsx$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
