using System.Diagnostics;
using Npgsql;

namespace Tributary.Cluster.Tests;

/// <summary>
/// <c>scripts/postgres.sh</c>, which <c>./run.sh</c> and <c>./test.sh</c> share: where a cluster can live when the
/// clone sits in a folder the <c>postgres</c> user cannot enter (Debian's 0700 <c>/root</c>), and that it starts there.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresScriptTests
{
    [Fact]
    public async Task A_clone_in_a_0700_folder_gets_a_reachable_data_folder_and_a_running_server_without_loosening_the_folder()
    {
        var home = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"home-{Guid.NewGuid():N}"));
        File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var wanted = Path.Combine(home.FullName, "clone", ".data", "pg");
        string? dataDirectory = null;
        try
        {
            dataDirectory = (await ScriptAsync("data-dir", wanted)).Trim();
            var root = Environment.UserName == "root";

            // As root the postgres user runs the server and cannot enter the 0700 folder: the cluster lives apart. As
            // anyone else the server runs as that user, who can: the cluster stays where it was wanted.
            Assert.Equal(root, dataDirectory.StartsWith("/var/lib/tributary/", StringComparison.Ordinal));
            Assert.Equal(root ? "pg" : wanted, root ? Path.GetFileName(dataDirectory) : dataDirectory);
            Assert.Equal(dataDirectory, (await ScriptAsync("data-dir", wanted)).Trim());
            var port = int.Parse((await ScriptAsync("start", dataDirectory, "--ephemeral")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
            await using var command = dataSource.CreateCommand("SELECT 1");
            Assert.Equal(1, await command.ExecuteScalarAsync());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.FullName));
        }
        finally
        {
            if (dataDirectory is not null)
            {
                await ScriptAsync("stop", dataDirectory);
                if (dataDirectory.StartsWith("/var/lib/tributary/", StringComparison.Ordinal))
                {
                    Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
                }
            }

            home.Delete(recursive: true);
        }
    }

    private static async Task<string> ScriptAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(RepoPaths.Combine("scripts", "postgres.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"postgres.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
