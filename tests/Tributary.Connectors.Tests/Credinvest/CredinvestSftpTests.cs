using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Credinvest;
using Tributary.Testing;

namespace Tributary.Connectors.Tests.Credinvest;

/// <summary>The Credinvest SFTP client against a real OpenSSH server on loopback.</summary>
public sealed class CredinvestSftpTests : IAsyncLifetime
{
    private SftpServer _server = null!;
    private string _downloads = null!;

    public async Task InitializeAsync()
    {
        _server = await SftpServer.StartAsync();
        _downloads = Path.Combine(Path.GetTempPath(), $"tributary-downloads-{Guid.NewGuid():N}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_downloads))
        {
            Directory.Delete(_downloads, recursive: true);
        }
    }

    [Fact]
    public async Task It_lists_the_directory_downloads_by_temporary_name_and_fetches_a_file_of_the_same_size_only_once()
    {
        _server.Put("12345-20261127180000-INTE100F.xlsx", 70_000);
        _server.Put("12345-20261127180000-INTE400F.xlsx", 1_234);
        Directory.CreateDirectory(Path.Combine(_server.Files, "archive"));
        var client = Client(_server.CredinvestSettings());

        var listed = await client.ListAsync(CancellationToken.None);

        Assert.Equal(["12345-20261127180000-INTE100F.xlsx", "12345-20261127180000-INTE400F.xlsx"], listed.Select(f => f.Name).ToArray());
        Assert.Equal([70_000L, 1_234L], listed.Select(f => f.Size).ToArray());
        var first = await client.DownloadAsync(listed[0], _downloads, CancellationToken.None);
        Assert.False(first.Skipped);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_server.Files, listed[0].Name)), File.ReadAllBytes(first.LocalPath));
        Assert.Equal([listed[0].Name], Directory.GetFiles(_downloads).Select(f => Path.GetFileName(f)!).ToArray());

        var again = await client.DownloadAsync(listed[0], _downloads, CancellationToken.None);
        Assert.True(again.Skipped);

        // A local copy of another size (an earlier version) is replaced.
        File.WriteAllBytes(Path.Combine(_downloads, listed[1].Name), [1, 2, 3]);
        var replaced = await client.DownloadAsync(listed[1], _downloads, CancellationToken.None);
        Assert.False(replaced.Skipped);
        Assert.Equal(1_234L, new FileInfo(replaced.LocalPath).Length);
        Assert.Equal(2, Directory.GetFiles(_downloads).Length);
    }

    [Fact]
    public async Task A_server_with_another_host_key_is_refused_with_the_fingerprint_to_pin()
    {
        const string Pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var client = Client(_server.CredinvestSettings(Pinned));

        var refused = await Assert.ThrowsAsync<UpstreamException>(() => client.ListAsync(CancellationToken.None));

        Assert.False(refused.IsTransient);
        Assert.Contains($"presented the host key {_server.Fingerprint}, not the one pinned in Credinvest:HostKeyFingerprint ({Pinned})", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Credinvest:HostKeyFingerprint={_server.Fingerprint}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_and_a_closed_port_say_which_and_show_no_secret()
    {
        var settings = _server.CredinvestSettings();
        settings.Remove("Credinvest:PrivateKeyPath");
        settings["Credinvest:Password"] = "not-the-password-0815";
        var refused = await Assert.ThrowsAsync<UpstreamException>(() => Client(settings).ListAsync(CancellationToken.None));
        Assert.False(refused.IsTransient);
        Assert.Contains("refused the login", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-0815", refused.ToString(), StringComparison.Ordinal);

        var closed = _server.CredinvestSettings();
        closed["Credinvest:Port"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var down = await Assert.ThrowsAsync<UpstreamException>(() => Client(closed).ListAsync(CancellationToken.None));
        Assert.True(down.IsTransient);
        Assert.Contains("retry later", down.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        var result = new CredinvestOptionsValidator().Validate(null, new CredinvestOptions { Port = 0, HostKeyFingerprint = "nope" });

        Assert.Equal(
        [
            "Credinvest:Host is required: the Credinvest SFTP server's host name or address.",
            "Credinvest:Port must be 1..65535, was 0.",
            "Credinvest:Username is required.",
            "Credinvest:Password or Credinvest:PrivateKeyPath is required (or both): how to log in.",
            "Credinvest:HostKeyFingerprint is required: the server's SHA256 host key fingerprint, e.g. SHA256:Ix3iOo+zPhPQ...; "
                + "'ssh-keyscan -p PORT HOST | ssh-keygen -l -E sha256 -f -' prints it (check it with Credinvest out of band).",
        ], result.Failures);
        Assert.Equal("SHA256:Ix3iOo+zPhPQZhI64TXbki0rzD6NxKV+3TxZ/TMbEp8", HostKeyFingerprint.Normalise("Ix3iOo+zPhPQZhI64TXbki0rzD6NxKV+3TxZ/TMbEp8="));
    }

    private static CredinvestSftpClient Client(Dictionary<string, string> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var services = new ServiceCollection().AddCredinvestSftp(configuration).BuildServiceProvider();
        return services.GetRequiredService<CredinvestSftpClient>();
    }
}
