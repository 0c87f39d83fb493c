using System.Diagnostics;
using Npgsql;

namespace Tributary.Testing;

/// <summary>
/// A plain-text <c>pg_dump</c> of a test database: what an operator's backup would hold, for asserting that a secret
/// is not in it. <c>pg_dump</c> comes with Debian's PostgreSQL packages (found like <c>scripts/postgres.sh</c> finds initdb).
/// </summary>
public static class DatabaseDump
{
    /// <summary>The whole database (schema and data) as SQL text.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(FindPgDump()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--host", database.Host!, "--port", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", database.Username!, "--dbname", database.Database!, "--no-password" })
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(database.Password))
        {
            info.Environment["PGPASSWORD"] = database.Password;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start pg_dump.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    /// <summary>The newest server installation's pg_dump (the version of the server the tests run), else the one on PATH.</summary>
    private static string FindPgDump()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Path: Path.Combine(d, "bin", "pg_dump")))
                .Where(c => File.Exists(c.Path))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Path)
                .FirstOrDefault()
            : null;
        return installed ?? "pg_dump";
    }
}
