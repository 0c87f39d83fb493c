using System.Globalization;
using Npgsql;

namespace Tributary.Cluster.Tests.WealthX;

/// <summary>A simulator and silo processes running the WealthX feed <c>default</c>, with what the pull tests ask of them.</summary>
internal sealed class WealthXPull : IAsyncDisposable
{
    public const string Feed = "default";
    public const string Job = "wealthx_default";

    private WealthXPull(Simulator simulator, RunningCluster cluster)
    {
        Simulator = simulator;
        Cluster = cluster;
        Client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        AdminClient = cluster.Gateway.CreateClient(GatewayHost.AdminKey);
    }

    public Simulator Simulator { get; }
    public RunningCluster Cluster { get; }
    public HttpClient Client { get; }
    public HttpClient AdminClient { get; }

    /// <param name="silo">More silo settings (e.g. <c>WealthX:SessionSize</c>).</param>
    /// <param name="simulator">Simulator settings (e.g. <c>Simulators:WealthX:TotalDossiers</c>).</param>
    /// <param name="password">Another password than the simulator's (WealthX then answers 401).</param>
    public static async Task<WealthXPull> StartAsync(
        string purpose, IReadOnlyDictionary<string, string>? silo = null, IReadOnlyDictionary<string, string>? simulator = null,
        int siloCount = 1, string? password = null, PostgresServer? server = null, Func<ClusterSettings, Task>? prepare = null, bool marketData = false, bool trueLayer = false, bool vestr = false, bool relay = false)
    {
        var sim = await Simulator.StartAsync(simulator);
        try
        {
            var settings = sim.WealthXSettings(password);
            if (marketData)
            {
                foreach (var (key, value) in sim.MarketDataSettings())
                {
                    settings[key] = value;
                }
            }

            if (trueLayer)
            {
                foreach (var (key, value) in sim.TrueLayerSettings())
                {
                    settings[key] = value;
                }
            }

            if (vestr)
            {
                foreach (var (key, value) in sim.VestrSettings())
                {
                    settings[key] = value;
                }
            }

            if (relay)
            {
                // The relay's routes on, its SFTP end at a closed loopback port: runs it starts fail, nothing leaves the machine.
                foreach (var (key, value) in sim.DropboxSettings())
                {
                    settings[key] = value;
                }

                settings["Credinvest:Host"] = "127.0.0.1";
                settings["Credinvest:Port"] = "9";
                settings["Credinvest:Username"] = "nobody";
                settings["Credinvest:Password"] = "unused-in-this-test";
                settings["Credinvest:HostKeyFingerprint"] = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');
                settings["Relay:DownloadDirectory"] = Path.Combine(Path.GetTempPath(), $"tributary-relay-{Guid.NewGuid():N}");
                foreach (var (key, value) in Simulator.PausedIntegratedSync)
                {
                    settings[key] = value;
                }
            }

            foreach (var (key, value) in silo ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            return new WealthXPull(sim, await RunningCluster.StartAsync(purpose, siloCount, settings, prepare, server));
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a session through the gateway and returns its run id at once.</summary>
    public async Task<string> StartSessionAsync(int? maxBatches = null)
    {
        var response = await Client.PostAsync($"/api/wealthx/{Feed}/sessions" + (maxBatches is { } max ? $"?maxBatches={max}" : string.Empty), null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST sessions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
    }

    /// <summary>Starts a session and waits for its run to end; returns the run id and final status.</summary>
    public async Task<(string RunId, string Status)> RunSessionAsync(int? maxBatches = null)
    {
        var runId = await StartSessionAsync(maxBatches);
        return (runId, await WaitForRunAsync(runId));
    }

    public async Task<string> WaitForRunAsync(string runId, TimeSpan? timeout = null) =>
        (await Eventually.ValueAsync(
            async () => await TextAsync($"SELECT status FROM job_runs WHERE run_id = '{runId}'") is { } s && s != "running" ? s : null,
            $"session {runId} ends", timeout ?? TimeSpan.FromSeconds(120)))!;

    public async Task<JsonElement> StatusAsync()
    {
        var response = await Client.GetAsync($"/api/wealthx/{Feed}/status");
        Assert.True(response.IsSuccessStatusCode, $"GET status answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The simulator's log of <c>alldossiers</c> calls, in arrival order.</summary>
    public async Task<IReadOnlyList<WealthXCall>> CallsAsync() =>
        (await Simulator.RequestsAsync("wealthx.alldossiers"))
            .Select(e => new WealthXCall(e.Sequence, e.TimeUtc, e.PathAndQuery, e.Status, e.Fault))
            .ToList();

    public async Task AddFaultAsync(object rule) =>
        (await Simulator.Admin.PostAsJsonAsync("/_admin/faults", rule)).EnsureSuccessStatusCode();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<Dictionary<long, DateTimeOffset>> CreatedAtAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT id, created_at FROM wealthx_dossiers");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient.Dispose();
        await Cluster.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>One <c>alldossiers</c> call as the simulator logged it.</summary>
internal sealed record WealthXCall(long Sequence, DateTimeOffset At, string PathAndQuery, int? Status, string? Fault)
{
    public string Range
    {
        get
        {
            var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + PathAndQuery).Query);
            return $"{query["fromIndex"]}-{query["toIndex"]}";
        }
    }

    public string? LastModifiedFrom => System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + PathAndQuery).Query)["lastModifiedFrom"];
}
