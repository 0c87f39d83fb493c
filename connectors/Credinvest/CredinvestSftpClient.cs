using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Tributary.Connectors.Credinvest;

/// <summary>
/// Credinvest's SFTP server through SSH.NET: lists the INTE directory and downloads files safely (to a temporary name,
/// size checked, then renamed; a file already there with the same size is not fetched again). The host key must match
/// <see cref="CredinvestOptions.HostKeyFingerprint"/>. Every failure is an <see cref="UpstreamException"/> whose sentence
/// says what to do and never holds the password or key.
/// </summary>
public sealed class CredinvestSftpClient(IOptions<CredinvestOptions> options)
{
    public const string Upstream = "credinvest";

    /// <summary>The regular files of the configured directory, by name.</summary>
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(cancellationToken);
        var files = new List<RemoteFile>();
        try
        {
            await foreach (var entry in client.ListDirectoryAsync(options.Value.Directory, cancellationToken))
            {
                if (entry.IsRegularFile)
                {
                    files.Add(new RemoteFile(entry.Name, entry.Length, new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero)));
                }
            }
        }
        catch (SftpPathNotFoundException exception)
        {
            throw Refused($"has no directory '{options.Value.Directory}' (Credinvest:Directory): check the setting against the server.", exception);
        }
        catch (SftpPermissionDeniedException exception)
        {
            throw Refused($"denied reading the directory '{options.Value.Directory}' (Credinvest:Directory) to this login.", exception);
        }

        return [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Downloads <paramref name="file"/> into <paramref name="directory"/>: under a temporary name, its size checked against
    /// the listing, then renamed over any older copy. A local file of the same name and size is kept and reported skipped.
    /// </summary>
    public async Task<DownloadedFile> DownloadAsync(RemoteFile file, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (file.Name.Contains('/', StringComparison.Ordinal) || file.Name.Contains('\\', StringComparison.Ordinal) || file.Name is "." or "..")
        {
            throw new ArgumentException($"'{file.Name}' is not a plain file name.", nameof(file));
        }

        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, file.Name);
        if (File.Exists(target) && new FileInfo(target).Length == file.Size)
        {
            return new DownloadedFile(file.Name, target, file.Size, Skipped: true);
        }

        var temporary = Path.Combine(directory, $".{file.Name}.{Guid.NewGuid():N}.part");
        try
        {
            using var client = await ConnectAsync(cancellationToken);
            await using (var local = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
            {
                await client.DownloadFileAsync(RemotePath(file.Name), local, cancellationToken);
            }

            var size = new FileInfo(temporary).Length;
            if (size != file.Size)
            {
                throw new UpstreamException(Upstream,
                    $"Credinvest's SFTP server sent {size} bytes of {file.Name}, which it listed at {file.Size}: the file may be being written. Retry later.",
                    statusCode: null, isTransient: true);
            }

            File.Move(temporary, target, overwrite: true);
            return new DownloadedFile(file.Name, target, size, Skipped: false);
        }
        catch (SftpPathNotFoundException exception)
        {
            throw Refused($"no longer has {file.Name}: it was removed after the listing. List again.", exception, transient: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private string RemotePath(string name) =>
        options.Value.Directory is "." or "" ? name : $"{options.Value.Directory.TrimEnd('/')}/{name}";

    private async Task<SftpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pinned = HostKeyFingerprint.Normalise(settings.HostKeyFingerprint);
        var methods = new List<AuthenticationMethod>();
        PrivateKeyFile? key = null;
        if (!string.IsNullOrWhiteSpace(settings.PrivateKeyPath))
        {
            try
            {
                key = string.IsNullOrEmpty(settings.PrivateKeyPassphrase) ? new PrivateKeyFile(settings.PrivateKeyPath) : new PrivateKeyFile(settings.PrivateKeyPath, settings.PrivateKeyPassphrase);
            }
            catch (Exception exception) when (exception is SshException or IOException or UnauthorizedAccessException)
            {
                throw new UpstreamException(Upstream,
                    $"The private key at Credinvest:PrivateKeyPath ({settings.PrivateKeyPath}) cannot be read ({exception.GetType().Name}): check the file, its format and Credinvest:PrivateKeyPassphrase.",
                    statusCode: null, isTransient: false);
            }

            methods.Add(new PrivateKeyAuthenticationMethod(settings.Username!, key));
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            methods.Add(new PasswordAuthenticationMethod(settings.Username!, settings.Password));
        }

        var connection = new ConnectionInfo(settings.Host!, settings.Port, settings.Username!, [.. methods]) { Timeout = settings.Timeout };
        var client = new SftpClient(connection) { OperationTimeout = settings.Timeout };
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = HostKeyFingerprint.Normalise(e.FingerPrintSHA256);
            e.CanTrust = presented is not null && string.Equals(presented, pinned, StringComparison.Ordinal);
        };
        var where = $"{settings.Host}:{settings.Port}";
        try
        {
            // Off the caller's task scheduler: SSH.NET starts its session's message listener with TaskScheduler.Current and
            // then waits for the key exchange synchronously. Called from a grain, that queued the listener behind the very
            // turn that waited for it, so the handshake hung for the whole timeout, holding the grain (a job's trigger).
            await Task.Run(() => client.ConnectAsync(cancellationToken), cancellationToken);
            return client;
        }
        catch (SshConnectionException exception) when (presented is not null && presented != pinned)
        {
            client.Dispose();
            throw new UpstreamException(Upstream,
                $"Credinvest's SFTP server at {where} presented the host key {presented}, not the one pinned in Credinvest:HostKeyFingerprint ({pinned}); "
                + $"nothing was sent. If Credinvest changed its key (confirm it with them), pin the new one: Credinvest:HostKeyFingerprint={presented}.",
                statusCode: null, isTransient: false, inner: exception);
        }
        catch (SshAuthenticationException exception)
        {
            client.Dispose();
            throw new UpstreamException(Upstream,
                $"Credinvest's SFTP server at {where} refused the login of Credinvest:Username with the configured Credinvest:Password / Credinvest:PrivateKeyPath ({exception.GetType().Name}). Check them with Credinvest.",
                statusCode: null, isTransient: false);
        }
        catch (Exception exception) when (exception is SocketException or SshConnectionException or SshOperationTimeoutException or TimeoutException or IOException)
        {
            client.Dispose();
            throw new UpstreamException(Upstream,
                $"The connection to Credinvest's SFTP server at {where} failed ({exception.GetType().Name}: {exception.Message}). This is usually passing: retry later; if it persists, check Credinvest:Host and Credinvest:Port.",
                statusCode: null, isTransient: true, inner: exception);
        }
        finally
        {
            key?.Dispose();
        }
    }

    private UpstreamException Refused(string what, Exception inner, bool transient = false) =>
        new(Upstream, $"Credinvest's SFTP server at {options.Value.Host}:{options.Value.Port} {what}", statusCode: null, isTransient: transient, inner: inner);
}
