using Npgsql;

namespace Tributary.Cluster.Tests.TrueLayer;

/// <summary>A simulator and silo processes with the TrueLayer import domain on, and what the import tests ask of them.</summary>
internal sealed class TrueLayerImports : IAsyncDisposable
{
    public const string Job = "truelayer_import";

    private readonly List<string> _bodies = [];

    private TrueLayerImports(Simulator simulator, RunningCluster cluster)
    {
        Simulator = simulator;
        Cluster = cluster;
        Client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        SecondClient = cluster.Gateway.CreateClient(GatewayHost.SecondOperatorKey);
        AdminClient = cluster.Gateway.CreateClient(GatewayHost.AdminKey);
    }

    public Simulator Simulator { get; }
    public RunningCluster Cluster { get; }
    public HttpClient Client { get; }
    public HttpClient SecondClient { get; }
    public HttpClient AdminClient { get; }

    /// <summary>Every response body read through <see cref="ReadAsync"/>, for the tests that grep for tokens.</summary>
    public IReadOnlyList<string> Bodies => _bodies;

    /// <param name="silo">More silo settings.</param>
    /// <param name="simulator">Simulator settings (e.g. <c>Simulators:TrueLayer:TransactionsPerAccount</c>).</param>
    /// <param name="gatewayPort">A fixed gateway port, for the tests whose dialog returns to the gateway's callback.</param>
    public static async Task<TrueLayerImports> StartAsync(
        string purpose, IReadOnlyDictionary<string, string>? silo = null, IReadOnlyDictionary<string, string>? simulator = null, int siloCount = 1, int? gatewayPort = null)
    {
        var sim = await Simulator.StartAsync(simulator);
        try
        {
            var settings = sim.TrueLayerSettings(gatewayPort is { } port ? new Uri($"http://127.0.0.1:{port}/api/truelayer/callback") : null);
            foreach (var (key, value) in silo ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            var gateway = gatewayPort is { } fixedPort ? new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{fixedPort}" } : null;
            return new TrueLayerImports(sim, await RunningCluster.StartAsync(purpose, siloCount, settings, gatewaySettings: gateway));
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    /// <summary>A consent made at the simulator (no dialog): its refresh token and account ids.</summary>
    public async Task<(string RefreshToken, IReadOnlyList<string> Accounts)> ConsentAsync(int accounts, int cards = 0, int transactionsPerAccount = 100, int pendingPerAccount = 2, int historyDays = 365)
    {
        var response = await Simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents", new { accounts, cards, transactionsPerAccount, pendingPerAccount, historyDays });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"the simulator made no consent: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("refresh_token").GetString()!, [.. body.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!)]);
    }

    /// <summary>Links a connection for the client's user with a refresh token; returns its id.</summary>
    public async Task<string> LinkAsync(string refreshToken, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/truelayer/connections", new { refresh_token = refreshToken });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/truelayer/connections answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("connection_id").GetString()!;
    }

    /// <summary>Plans an import of the connection's accounts over the range; returns the plan's body.</summary>
    public async Task<JsonElement> PlanAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/truelayer/import/plan", request);
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST plan answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Starts a planned import and waits for it to end; returns its final status body.</summary>
    public async Task<JsonElement> RunAsync(string jobId, HttpClient? client = null, TimeSpan? timeout = null)
    {
        await StartAsync(jobId, client);
        return await WaitForEndAsync(jobId, client, timeout);
    }

    public async Task<string> StartAsync(string jobId, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/truelayer/import/start", new { job_id = jobId });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST start answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("run_id").GetString()!;
    }

    public async Task<JsonElement> WaitForEndAsync(string jobId, HttpClient? client = null, TimeSpan? timeout = null) =>
        await Eventually.ValueAsync<JsonElement?>(async () =>
        {
            var status = await StatusAsync(jobId, client);
            return status.GetProperty("status").GetString() is "completed" or "partially_completed" or "failed" ? status : null;
        }, $"import {jobId} ends", timeout ?? TimeSpan.FromSeconds(120)) ?? default;

    public async Task<JsonElement> StatusAsync(string jobId, HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync($"/api/truelayer/import/status/{jobId}");
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET status answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public async Task<string> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        lock (_bodies)
        {
            _bodies.Add(body);
        }

        return body;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The status body's account entry.</summary>
    public static JsonElement Account(JsonElement status, string accountId) =>
        status.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("account_id").GetString() == accountId);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        SecondClient.Dispose();
        AdminClient.Dispose();
        await Cluster.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
