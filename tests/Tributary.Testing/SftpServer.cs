using System.Diagnostics;
using System.Globalization;

namespace Tributary.Testing;

/// <summary>
/// A real OpenSSH SFTP server on a loopback port (<c>scripts/sshd.sh</c>: Debian's sshd, its own host key, SFTP only,
/// rooted at <see cref="Files"/>, key login for the user running the tests), for the Credinvest tests.
/// </summary>
public sealed class SftpServer : IAsyncDisposable
{
    private SftpServer(string directory, int port, string fingerprint)
    {
        Directory = directory;
        Port = port;
        Fingerprint = fingerprint;
    }

    /// <summary>The server's folder: keys, config, log.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The host key's fingerprint as <c>ssh-keygen -l -E sha256</c> prints it.</summary>
    public string Fingerprint { get; }

    /// <summary>What the server serves: the login's start directory.</summary>
    public string Files => Path.Combine(Directory, "files");

    /// <summary>The private key that logs in.</summary>
    public string ClientKey => Path.Combine(Directory, "client_ed25519");

    /// <summary>The login name: the user running the tests (an unprivileged sshd can only log in its own user).</summary>
    public static string User => Environment.UserName;

    public static async Task<SftpServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tributary-sftp-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var port = int.Parse(await ScriptAsync("start", directory), CultureInfo.InvariantCulture);
        return new SftpServer(directory, port, await ScriptAsync("fingerprint", directory));
    }

    /// <summary>Puts a file of <paramref name="size"/> deterministic bytes in the served directory.</summary>
    public string Put(string name, int size, int seed = 0)
    {
        var bytes = new byte[size];
        new Random(seed + name.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
        var path = Path.Combine(Files, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Settings for the Credinvest connector (<c>Credinvest:*</c>) that log in to this server.</summary>
    public Dictionary<string, string> CredinvestSettings(string? fingerprint = null) => new()
    {
        ["Credinvest:Host"] = "127.0.0.1",
        ["Credinvest:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Credinvest:Username"] = User,
        ["Credinvest:PrivateKeyPath"] = ClientKey,
        ["Credinvest:HostKeyFingerprint"] = fingerprint ?? Fingerprint,
    };

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync("stop", Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the server as it stops: the temp folder is cleaned with the machine.
        }
    }

    private static async Task<string> ScriptAsync(string command, string directory)
    {
        var info = new ProcessStartInfo(RepoPaths.Combine("scripts", "sshd.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(directory);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("scripts/sshd.sh did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/sshd.sh {command} failed ({process.ExitCode}): {await error}");
        }

        return (await output).Trim();
    }
}
