namespace Tributary.Connectors.Credinvest;

/// <summary>Where and how to reach Credinvest's SFTP server, bound from the <c>Credinvest</c> section.</summary>
/// <remarks>
/// The login (password and/or private key) comes from configuration or the environment only, never from code or state.
/// The server's host key is pinned by its SHA256 fingerprint: a server presenting another key is refused.
/// </remarks>
public sealed class CredinvestOptions
{
    public const string Section = "Credinvest";

    /// <summary>The server's host name or address; required.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 22;

    /// <summary>The login name; required.</summary>
    public string? Username { get; set; }

    /// <summary>Password login; this and/or <see cref="PrivateKeyPath"/>. Never logged nor put in a message.</summary>
    public string? Password { get; set; }

    /// <summary>An OpenSSH or PEM private key file for key login.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The private key's passphrase, when it has one. Never logged nor put in a message.</summary>
    public string? PrivateKeyPassphrase { get; set; }

    /// <summary>The server's host key fingerprint, <c>SHA256:</c> and base64 (as <c>ssh-keygen -l -E sha256</c> prints it); required.</summary>
    public string? HostKeyFingerprint { get; set; }

    /// <summary>The remote directory holding the INTE files (relative to the login's start directory, or absolute).</summary>
    public string Directory { get; set; } = ".";

    /// <summary>How long connecting and each operation may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
