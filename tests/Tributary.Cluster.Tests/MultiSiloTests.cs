namespace Tributary.Cluster.Tests;

/// <summary>Several silo processes on one database: joining, spreading grains, surviving the loss of a silo.</summary>
public sealed class MultiSiloTests
{
    private const int ProbeCount = 40;

    [Fact]
    public async Task Grains_of_a_killed_silo_answer_from_the_survivor_with_their_state()
    {
        // Both silos start at once on an empty database: they race for the migration lock too.
        await using var cluster = await RunningCluster.StartAsync("kill", siloCount: 2);
        using var client = cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        var placement = new Dictionary<string, int>();
        for (var i = 0; i < ProbeCount; i++)
        {
            var reading = await WriteAsync(client, $"p{i}", $"value-{i}");
            placement[$"p{i}"] = PortOf(reading);
        }

        var ports = cluster.Silos.Select(s => s.SiloPort).Order().ToArray();
        Assert.Equal(ports, placement.Values.Distinct().Order().ToArray());

        var victim = cluster.Silos[0];
        var survivor = cluster.Silos[1];
        victim.Kill();

        foreach (var (name, port) in placement)
        {
            var answer = await Eventually.ValueAsync(
                async () =>
                {
                    var r = await client.GetFromJsonAsync<JsonElement>($"/api/diagnostics/probes/{name}");
                    return PortOf(r) == survivor.SiloPort ? (JsonElement?)r : null;
                },
                $"probe {name} (first on port {port}) answers from the surviving silo {survivor.SiloPort}");
            var reading = answer!.Value;
            Assert.Equal($"value-{name[1..]}", reading.GetProperty("value").GetString());
            Assert.Equal(1, reading.GetProperty("writes").GetInt32());
        }

        await cluster.WaitForActiveSilosAsync(1);
    }

    [Fact]
    public async Task Sigterm_stops_a_silo_gracefully_and_it_leaves_the_cluster()
    {
        await using var cluster = await RunningCluster.StartAsync("sigterm", siloCount: 2);
        var leaving = cluster.Silos[1];
        // Active in membership comes before the last start-up stage; a stop during start-up is the other test's case.
        await Eventually.TrueAsync(() => Task.FromResult(leaving.Output.Contains("Application started", StringComparison.Ordinal)), "the silo finishes starting");

        Signals.Terminate(ProcessId(leaving));

        var exitCode = await leaving.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"The silo exited with {exitCode}:\n{leaving.Output}");
        Assert.Contains("Application is shutting down", leaving.Output, StringComparison.Ordinal);
        await cluster.WaitForActiveSilosAsync(1);
    }

    [Fact]
    public async Task Sigterm_during_start_up_stops_the_silo_without_a_crash()
    {
        var settings = ClusterSettings.Create(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("sigterm_start"));
        await using var silo = SiloProcess.Start("starting", settings.ForSilo());
        await Eventually.TrueAsync(() => Task.FromResult(silo.Output.Contains("Starting silo", StringComparison.Ordinal)), "the silo begins to start");

        Signals.Terminate(ProcessId(silo));

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"The silo exited with {exitCode}:\n{silo.Output}");
        Assert.DoesNotContain("Unhandled exception", silo.Output, StringComparison.Ordinal);
    }

    private static int ProcessId(SiloProcess silo) => silo.ProcessId;

    private static async Task<JsonElement> WriteAsync(HttpClient client, string name, string value)
    {
        var response = await client.PutAsJsonAsync($"/api/diagnostics/probes/{name}", new { value });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Silo addresses read <c>127.0.0.1:11111@123456789</c>; the port tells our silos apart.</summary>
    private static int PortOf(JsonElement reading) => int.Parse(reading.GetProperty("silo").GetString()!.Split('@')[0].Split(':')[^1]);
}
