using System.Globalization;
using Npgsql;
using Tributary.Connectors.Dropbox;

namespace Tributary.Cluster.Tests.Relay;

/// <summary>
/// A real OpenSSH SFTP server seeded with INTE files, the simulators (Dropbox, and Keycloak/Vestr when asked), silo
/// processes with the relay and the integrated sync on, and the gateway over HTTP.
/// </summary>
internal sealed class RelaySync : IAsyncDisposable
{
    /// <summary>The seeded listing: what the selection rules keep, and what they leave out.</summary>
    public static readonly string[] Selected =
    [
        "10001-20261130170000-INTE100F.xlsx", "10001-20261130171000-INTE400F.xlsx",
        "10002-20261130170000-INTE100F.xlsx", "10002-20261130171000-INTE400F.xlsx",
        "10003-20261130170000-INTE100F.xlsx", "10003-20261130171000-INTE400F.xlsx",
        "10004-20261130170000-INTE100F.xlsx", "10004-20261130171000-INTE400F.xlsx",
        "10005-20261130170000-INTE100F.xlsx", "10005-20261130171000-INTE400F.xlsx",
        "10006-20261129170000-INTE100F.xlsx", "10006-20261130090000-INTE400F.xlsx",
        "10007-20261130170000-INTE100F.xlsx",
    ];

    /// <summary>Left out: an older copy, the older of a pair more than a day apart, one too old overall, a stranger.</summary>
    public static readonly string[] LeftOut =
    [
        "10001-20261127170000-INTE100F.xlsx", "10007-20261128170000-INTE400F.xlsx", "10008-20261126170000-INTE100F.xlsx", "notes.txt",
    ];

    /// <summary>What <c>/cred/</c> holds before a run: an old INTE file, something else, and an older copy of a selected name.</summary>
    public static readonly string[] InDropboxBefore =
    [
        "/cred/10001-20261127170000-INTE100F.xlsx", "/cred/old-report.xlsx", "/cred/10002-20261130170000-INTE100F.xlsx",
    ];

    private RelaySync(Simulator simulator, SftpServer sftp, RunningCluster cluster, string downloads)
    {
        Simulator = simulator;
        Sftp = sftp;
        Cluster = cluster;
        Downloads = downloads;
        Client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
    }

    public Simulator Simulator { get; }
    public SftpServer Sftp { get; }
    public RunningCluster Cluster { get; }
    public HttpClient Client { get; }

    /// <summary>The silos' <c>Relay:DownloadDirectory</c>.</summary>
    public string Downloads { get; }

    public static async Task<RelaySync> StartAsync(string purpose, bool vestr = false, string? fingerprint = null, IReadOnlyDictionary<string, string>? silo = null, int siloCount = 1)
    {
        var simulator = await Simulator.StartAsync(new Dictionary<string, string> { ["Simulators:Vestr:Products"] = "4", ["Simulators:Vestr:Days"] = "20" });
        var sftp = await SftpServer.StartAsync();
        var downloads = Path.Combine(Path.GetTempPath(), $"tributary-relay-{Guid.NewGuid():N}");
        try
        {
            foreach (var (name, i) in Selected.Concat(LeftOut).Select((n, i) => (n, i)))
            {
                sftp.Put(name, 20_000 + (i * 1_000), seed: i);
            }

            var settings = new Dictionary<string, string>(Simulator.PausedIntegratedSync);
            foreach (var (key, value) in sftp.CredinvestSettings(fingerprint).Concat(simulator.DropboxSettings()))
            {
                settings[key] = value;
            }

            settings["Relay:DownloadDirectory"] = downloads;
            if (vestr)
            {
                foreach (var (key, value) in simulator.VestrSettings())
                {
                    settings[key] = value;
                }

                settings["Vestr:FullSyncFrom"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            foreach (var (key, value) in silo ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            var relay = new RelaySync(simulator, sftp, await RunningCluster.StartAsync(purpose, siloCount, settings), downloads);
            foreach (var path in InDropboxBefore)
            {
                using var seeded = await simulator.Admin.PutAsJsonAsync("/_admin/dropbox/files", new { path, content = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"old {path}")) });
                Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
            }

            return relay;
        }
        catch
        {
            await sftp.DisposeAsync();
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Dropbox content hash of a file on the SFTP server.</summary>
    public string HashOnSftp(string name)
    {
        using var stream = File.OpenRead(Path.Combine(Sftp.Files, name));
        return DropboxContentHash.Compute(stream);
    }

    /// <summary>Every file in the simulated Dropbox: path -> content hash.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DropboxFilesAsync()
    {
        var state = await Simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/dropbox");
        return state.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("content_hash").GetString()!, StringComparer.Ordinal);
    }

    public async Task<int> ContendedAsync() => (await Simulator.Admin.GetFromJsonAsync<JsonElement>("/_admin/dropbox")).GetProperty("contended").GetInt32();

    public async Task AddFaultAsync(object rule)
    {
        using var response = await Simulator.Admin.PostAsJsonAsync("/_admin/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Starts a sync; the answer's status code and body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostSyncAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync("/api/sync/runs", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<string> StartSyncAsync(object body)
    {
        var (status, answer) = await PostSyncAsync(body);
        Assert.True(status == HttpStatusCode.Accepted, $"POST /api/sync/runs answered {(int)status}: {answer}");
        Assert.True(answer.GetProperty("started").GetBoolean(), $"the sync did not start a run: {answer}");
        return answer.GetProperty("run_id").GetString()!;
    }

    /// <summary>Waits for the sync run's end and returns its view.</summary>
    public async Task<JsonElement> WaitForSyncAsync(string runId)
    {
        var text = await Eventually.ValueAsync(async () =>
        {
            var body = await Client.GetStringAsync($"/api/sync/runs/{runId}");
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() is "running" or "queued" ? null : body;
        }, $"sync run {runId} ends", TimeSpan.FromSeconds(180));
        return JsonDocument.Parse(text).RootElement;
    }

    public static JsonElement Step(JsonElement run, string step) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<string> LocalFiles() =>
        Directory.Exists(Downloads) ? [.. Directory.GetFiles(Downloads).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        await Sftp.DisposeAsync();
        await Simulator.DisposeAsync();
        if (Directory.Exists(Downloads))
        {
            Directory.Delete(Downloads, recursive: true);
        }
    }
}
