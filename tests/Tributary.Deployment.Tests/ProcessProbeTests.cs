using System.Net;
using Tributary.Deployment.Tests.Kubernetes;

namespace Tributary.Deployment.Tests;

/// <summary>
/// The processes run with the settings each overlay gives their containers: the probes the manifests point at
/// answer on the ports those settings open, and the silos' init container waits for the migration Job as it should.
/// Real silo processes, the real gateway, a real PostgreSQL; only the database address and the ports are the test's.
/// </summary>
public sealed class ProcessProbeTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_silos_wait_for_the_migration_job_then_serve_their_probes_and_the_gateway_its_own(string overlay)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync($"k8s_probes_{overlay}");
        var rendered = Manifests.Render(overlay);
        var siloDeployment = rendered.Single(o => o.Kind == "Deployment" && o.Name == "tributary-silo");
        var siloContainer = Kustomization.PodSpec(siloDeployment.Node)!["containers"]![0]!.AsObject();
        var settings = ContainerSettings(rendered, siloContainer);
        // The test's database and free ports (SiloProcess picks them) instead of the cluster's; the Secrets' stand-ins.
        settings["Database__ConnectionString"] = connectionString;
        settings.Remove("Silo__SiloPort");
        settings.Remove("Silo__GatewayPort");
        settings.Remove("Silo__HealthPort");
        settings["Relay__DownloadDirectory"] = Directory.CreateTempSubdirectory("tributary-relay-").FullName;
        settings["DataProtection__KeyRingKey"] = GatewayHost.KeyRingKey;
        // An upstream with an endpoint needs its login (the silo stops at start without it): the dev Secret's keys.
        settings["MarketData__ApiKey"] = "test-marketdata-key";
        settings["WealthX__Username"] = "test-wealthx-user";
        settings["WealthX__Password"] = "test-wealthx-password";

        // The init container on a database nobody has migrated: it waits, and says for what.
        await using var wait = SiloProcess.Start("wait-for-schema", settings, "wait-for-schema");
        await Eventually.TrueAsync(() => Task.FromResult(wait.Output.Contains("Waiting for the migration job", StringComparison.Ordinal)),
            "wait-for-schema never said it was waiting for the migration job");
        Assert.False(wait.HasExited, $"wait-for-schema ended before the migration job ran:\n{wait.Output}");

        // The Job: migrate with the same settings; then the init container lets the silo start.
        await using (var migrate = SiloProcess.Start("migrate", settings, "migrate"))
        {
            Assert.Equal(0, await migrate.WaitForExitAsync(ExitTimeout));
        }

        Assert.Equal(0, await wait.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Every migration is applied", wait.Output, StringComparison.Ordinal);

        await using var silo = SiloProcess.Start("silo-0", settings);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var path = (string)siloContainer[probe]!["httpGet"]!["path"]!;
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(silo.HasExited, $"The silo exited with {(silo.HasExited ? silo.ExitCode : 0)}:\n{silo.Output}");
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{silo.HealthPort}{path}"));
                return response.StatusCode == HttpStatusCode.OK;
            }, $"the silo's {probe} {path} never answered 200 on its health port");
        }

        var metrics = siloDeployment.Node["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/path"]!.GetValue<string>();
        using (var scraped = await http.GetAsync(new Uri($"http://127.0.0.1:{silo.HealthPort}{metrics}")))
        {
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        }

        // The gateway with its container's settings (its listening address stays the test's loopback port).
        var gatewayContainer = Kustomization.PodSpec(rendered.Single(o => o.Kind == "Deployment" && o.Name == "tributary-gateway").Node)!["containers"]![0]!.AsObject();
        var gatewaySettings = ContainerSettings(rendered, gatewayContainer)
            .Where(s => s.Key is not ("ASPNETCORE_URLS" or "Database__ConnectionString"))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        await using var gateway = await GatewayHost.StartAsync(connectionString, settings["Cluster__ClusterId"], settings["Cluster__ServiceId"], gatewaySettings);
        using var client = gateway.CreateClient();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var path = (string)gatewayContainer[probe]!["httpGet"]!["path"]!;
            await Eventually.TrueAsync(async () =>
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }, $"the gateway's {probe} {path} never answered 200");
        }
    }

    [Fact]
    public async Task A_silo_in_a_pod_without_the_downward_API_stops_saying_what_to_set()
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["POD_NAMESPACE"] = "tributary",
        };

        await using var silo = SiloProcess.Start("pod-without-downward-api", settings);

        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("This silo runs in a Kubernetes pod (KUBERNETES_SERVICE_HOST is set) but POD_NAME is not set: give it from the downward API (env POD_NAME, valueFrom.fieldRef.fieldPath metadata.name)", silo.Output, StringComparison.Ordinal);
        Assert.Contains("but POD_IP is not set", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("POD_NAMESPACE is not set", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_in_a_pod_is_named_after_it_and_turns_on_Kubernetes_hosting_which_needs_the_service_account()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync("k8s_hosting");
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Database:MigrateOnStart"] = "false",
            // A pod as the downward API describes it, but this machine has no service account token to give it.
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = "1",
            ["POD_NAME"] = "tributary-silo-5d8c7-x2x9q",
            ["POD_NAMESPACE"] = "tributary",
            ["POD_IP"] = "127.0.0.1",
        };

        await using var silo = SiloProcess.Start("in-a-pod", settings);

        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        // Named after its pod (Kubernetes hosting's validation requires it) and stopped by Kubernetes hosting itself.
        Assert.Contains("Starting silo tributary-silo-5d8c7-x2x9q", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Silo tributary-silo-5d8c7-x2x9q runs in a Kubernetes pod but cannot reach the Kubernetes API with its service account", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Unable to load in-cluster configuration", silo.Output, StringComparison.Ordinal);
    }

    /// <summary>A container's settings as the pod would have them: its ConfigMaps' data and its literal values.</summary>
    private static Dictionary<string, string> ContainerSettings(IReadOnlyList<RenderedObject> rendered, JsonObject container)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var name = (string?)source!["configMapRef"]?["name"];
            foreach (var (key, value) in rendered.Single(o => o.Kind == "ConfigMap" && o.Name == name).Node["data"]?.AsObject() ?? [])
            {
                settings[key] = (string)value!;
            }
        }

        foreach (var env in container["env"]?.AsArray() ?? [])
        {
            if (env!["value"] is { } value)
            {
                settings[(string)env["name"]!] = (string)value!;
            }
        }

        return settings;
    }
}
