using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Storage;

/// <summary>One numbered SQL file from <c>storage/Migrations</c>, embedded in this assembly.</summary>
/// <param name="Version">The number before the first underscore (<c>0002</c> is 2).</param>
/// <param name="Name">The file name, e.g. <c>0002_orleans_grain_state.sql</c>.</param>
/// <param name="Sql">The file's text.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of the text with line endings normalised to LF.</param>
internal sealed partial record Migration(int Version, string Name, string Sql, string Checksum)
{
    private const string ResourcePrefix = "Tributary.Storage.Migrations.";

    /// <summary>Every embedded migration, ordered by version.</summary>
    /// <exception cref="InvalidOperationException">A file is misnamed or two files share a number.</exception>
    public static IReadOnlyList<Migration> LoadEmbedded() => Load(typeof(Migration).Assembly);

    internal static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(name);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration file {name} is misnamed: name it NNNN_what_it_does.sql (four digits, lower-case words).");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration {name} could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), name, sql, ChecksumOf(sql)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(m => m.Name))} share the number {duplicate.Key:0000}: renumber one of them.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <remarks>
    /// Line endings are normalised first, so a checkout that turns LF into CRLF doesn't look like an edited migration.
    /// </remarks>
    internal static string ChecksumOf(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
