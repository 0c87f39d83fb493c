using System.Globalization;
using Npgsql;

namespace Tributary.Cluster.Tests.Vestr;

/// <summary>A simulator and silo processes with the Vestr fee domain on, and what the fee tests ask of them.</summary>
internal sealed class VestrSync : IAsyncDisposable
{
    public const string Job = "vestr_fees";

    private readonly List<string> _bodies = [];

    private VestrSync(Simulator simulator, RunningCluster cluster)
    {
        Simulator = simulator;
        Cluster = cluster;
        Client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
    }

    public Simulator Simulator { get; }
    public RunningCluster Cluster { get; }
    public HttpClient Client { get; }
    public IReadOnlyList<string> Bodies => _bodies;

    /// <summary>The first day of the simulator's history (its <c>Days</c> ending today) is after this: a full sync starts here.</summary>
    public static DateOnly FullFrom => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-120);

    public static async Task<VestrSync> StartAsync(string purpose, int products = 6, int days = 100, int siloCount = 1, IReadOnlyDictionary<string, string>? silo = null)
    {
        var sim = await Simulator.StartAsync(new Dictionary<string, string>
        {
            ["Simulators:Vestr:Products"] = products.ToString(CultureInfo.InvariantCulture),
            ["Simulators:Vestr:Days"] = days.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            var settings = sim.VestrSettings();
            settings["Vestr:FullSyncFrom"] = FullFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            settings["Jobs:vestr_fees:RetryBaseDelay"] = "00:00:00.050";
            foreach (var (key, value) in silo ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            return new VestrSync(sim, await RunningCluster.StartAsync(purpose, siloCount, settings));
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a sync and returns its run id at once.</summary>
    public async Task<string> StartSyncAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/vestr/sync", body);
        var text = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/vestr/sync answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("run_id").GetString()!;
    }

    /// <summary>Runs a sync to its end; returns the run id and its final status.</summary>
    public async Task<(string RunId, string Status)> SyncAsync(object body)
    {
        var runId = await StartSyncAsync(body);
        return (runId, await WaitForRunAsync(runId));
    }

    public async Task<string> WaitForRunAsync(string runId) =>
        (await Eventually.ValueAsync(
            async () => await TextAsync($"SELECT status FROM job_runs WHERE run_id = '{runId}'") is { } s && s != "running" ? s : null,
            $"sync {runId} ends", TimeSpan.FromSeconds(180)))!;

    /// <summary>Every deduction the simulator serves now, corrections applied.</summary>
    public async Task<IReadOnlyList<Deduction>> DeductionsAsync() =>
        (await Simulator.Admin.GetFromJsonAsync<List<Deduction>>("/_admin/vestr/deductions"))!;

    public async Task<string> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        lock (_bodies)
        {
            _bodies.Add(body);
        }

        return body;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
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

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of the aggregate tables as text, in key order: equal texts mean nothing changed.</summary>
    public async Task<string> AggregatesAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT month, product_isin, fee_type, currency, total_amount, record_count FROM vestr_fee_monthly_summaries ORDER BY 1, 2, 3, 4",
                     "SELECT day, product_isin, fee_type, currency, total_amount, record_count FROM vestr_fee_daily_summaries ORDER BY 1, 2, 3, 4",
                     "SELECT product_isin, currency, total_amount, management_total, performance_total, custody_total, record_count FROM vestr_fee_product_totals ORDER BY 1, 2",
                     "SELECT product_isin, latest_fee_date, latest_fee_type, latest_fee_amount, outstanding_quantity FROM fee_latest_snapshot ORDER BY 1",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    public async Task<IReadOnlyList<string>> GetAllFeeIdsAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM vestr_fee_records", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<string?> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync()) as string;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    /// <summary>A deduction as the simulator's admin dump lists it.</summary>
    public sealed record Deduction(string Id, DateOnly BookingDate, decimal Amount, string Currency, string FeeType, string ProductIsin, string? ProductName, decimal? OutstandingQuantity);
}
