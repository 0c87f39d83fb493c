using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Tributary.Deployment.Tests.Kubernetes;
using Tributary.Silo;

namespace Tributary.Deployment.Tests;

/// <summary>
/// <c>deploy/kubernetes/</c> as a cluster would read it: every file and every overlay's render loads into
/// KubernetesClient's typed model with its strict loader, and what the objects say agrees with the processes they run
/// (settings, routes, ports), with each other (selectors, RBAC, images) and with the README (secrets).
/// </summary>
public sealed partial class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => Manifests.Overlays;

    [Fact]
    public void Every_manifest_file_loads_strictly_into_the_typed_model()
    {
        var files = Manifests.ResourceFiles().ToList();
        Assert.Equal(12, files.Count);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var typed = Manifests.LoadStrict(text);
            Assert.Equal(YamlDocuments.Load(text).Count, typed.Count);
            Assert.All(typed, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
        }
    }

    [Fact]
    public void The_strict_loader_refuses_a_field_the_model_does_not_have()
    {
        const string misspelt = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: tributary-silo
            spec:
              replica: 3
              selector:
                matchLabels: { app: x }
              template:
                metadata:
                  labels: { app: x }
                spec:
                  containers: [{ name: silo, image: tributary/silo }]
            """;

        var exception = Assert.ThrowsAny<Exception>(() => Manifests.LoadStrict(misspelt));
        Assert.Contains("replica", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_render_refuses_a_kustomization_field_it_does_not_apply()
    {
        var directory = Directory.CreateTempSubdirectory("tributary-kustomize-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                commonLabels:
                  team: data
                """);

            var exception = Assert.Throws<InvalidOperationException>(() => Kustomization.Render(directory.FullName));
            Assert.Contains("uses 'commonLabels', which this render does not apply", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void An_overlay_renders_to_the_expected_objects_each_loading_strictly(string overlay)
    {
        var rendered = Manifests.Render(overlay);

        string[] common =
        [
            "ConfigMap/tributary-common", "ConfigMap/tributary-gateway", "ConfigMap/tributary-silo", "ConfigMap/tributary-upstream-endpoints",
            "Deployment/tributary-gateway", "Deployment/tributary-silo", "Job/tributary-migrate", "PodDisruptionBudget/tributary-silo",
            "Role/tributary-silo-pods", "RoleBinding/tributary-silo-pods", "Service/tributary-gateway",
            "ServiceAccount/tributary-silo", "ServiceAccount/tributary-workload",
        ];
        string[] expected = overlay == "dev"
            ? [.. common, "Deployment/tributary-simulators", "Namespace/tributary-dev", "Service/postgres", "Service/tributary-simulators", "StatefulSet/postgres"]
            : [.. common, "Namespace/tributary"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), rendered.Select(o => $"{o.Kind}/{o.Name}").Order(StringComparer.Ordinal));

        var ns = overlay == "dev" ? "tributary-dev" : "tributary";
        foreach (var obj in rendered)
        {
            var typed = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(Manifests.LoadStrict(obj));
            Assert.Equal(obj.Kind, typed.Kind);
            Assert.Equal(obj.Kind == "Namespace" ? null : ns, typed.Metadata.NamespaceProperty);
        }

        Assert.Equal(ns, rendered.Single(o => o.Kind == "Namespace").Name);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Selectors_match_the_labels_of_the_pods_they_select(string overlay)
    {
        var objects = Typed(overlay);
        var workloads = objects.OfType<V1Deployment>().Select(d => (d.Name(), d.Spec.Selector, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Name(), s.Spec.Selector, s.Spec.Template)))
            .ToList();
        Assert.NotEmpty(workloads);
        foreach (var (name, selector, template) in workloads)
        {
            Assert.Null(selector.MatchExpressions);
            Assert.True(Selects(selector.MatchLabels, template.Metadata.Labels), $"{name}'s selector does not select its own pods.");
        }

        foreach (var service in objects.OfType<V1Service>())
        {
            var selected = workloads.Where(w => Selects(service.Spec.Selector, w.Template.Metadata.Labels)).ToList();
            Assert.True(selected.Count == 1, $"Service {service.Name()} selects {selected.Count} workloads' pods, not one.");
            var ports = selected[0].Template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in service.Spec.Ports)
            {
                Assert.True(ports.Any(p => port.TargetPort.Value == p.Name || port.TargetPort.Value == p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"Service {service.Name()} targets port {port.TargetPort.Value}, which {selected[0].Item1}'s containers do not have.");
            }
        }

        var budget = objects.OfType<V1PodDisruptionBudget>().Single();
        Assert.Equal(["tributary-silo"], workloads.Where(w => Selects(budget.Spec.Selector.MatchLabels, w.Template.Metadata.Labels)).Select(w => w.Item1));
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);

        foreach (var set in objects.OfType<V1StatefulSet>())
        {
            Assert.Contains(objects.OfType<V1Service>(), s => s.Name() == set.Spec.ServiceName);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_environment_variable_is_a_setting_its_process_reads(string overlay)
    {
        var rendered = Manifests.Render(overlay);
        var configMaps = rendered.Where(o => o.Kind == "ConfigMap").ToDictionary(o => o.Name, o => o.Node["data"]?.AsObject() ?? []);
        var unread = new List<string>();
        var checkedCount = 0;
        foreach (var (workload, container, target) in TributaryContainers(rendered, overlay))
        {
            var process = ProcessSettings.ForTarget(target);
            var names = (container["env"]?.AsArray() ?? []).Select(e => (string)e!["name"]!).ToList();
            foreach (var source in container["envFrom"]?.AsArray() ?? [])
            {
                var configMap = (string?)source!["configMapRef"]?["name"];
                Assert.True(configMap is not null, $"{workload}/{container["name"]} takes variables from something other than a ConfigMap.");
                Assert.True(configMaps.TryGetValue(configMap!, out var data), $"{workload}/{container["name"]} takes variables from ConfigMap {configMap}, which the overlay does not have.");
                names.AddRange(data!.Select(d => d.Key));
            }

            foreach (var name in names)
            {
                checkedCount++;
                if (!process.Reads(name))
                {
                    unread.Add($"{workload}/{container["name"]}: {name} ({process.Process})");
                }
            }
        }

        Assert.True(unread.Count == 0, "Variables no process reads: " + string.Join("; ", unread));
        Assert.True(checkedCount > 40, $"Only {checkedCount} variables were checked.");
    }

    [Fact]
    public void The_settings_check_tells_a_read_setting_from_an_unread_one()
    {
        Assert.True(ProcessSettings.Silo.Reads("Silo__HealthPort"));
        Assert.True(ProcessSettings.Silo.Reads("Cluster__Membership__ProbeTimeout"));
        Assert.True(ProcessSettings.Silo.Reads("POD_IP"));
        Assert.True(ProcessSettings.Gateway.Reads("Auth__ApiKeys__0__Key"));
        Assert.True(ProcessSettings.Gateway.Reads("TRIBUTARY_ADMIN_KEY"));
        Assert.False(ProcessSettings.Silo.Reads("Silo__HealthPorts"));
        Assert.False(ProcessSettings.Silo.Reads("Silo__HealthPort__X"));
        Assert.False(ProcessSettings.Silo.Reads("TRIBUTARY_ADMIN_KEY"));
        Assert.False(ProcessSettings.Gateway.Reads("Silo__HealthPort"));
        Assert.False(ProcessSettings.Gateway.Reads("WealthX__Password"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_ask_routes_the_process_serves_on_the_port_it_listens_on(string overlay)
    {
        var rendered = Manifests.Render(overlay);
        var probed = new List<string>();
        foreach (var (workload, container, target) in TributaryContainers(rendered, overlay).Where(c => c.Container["readinessProbe"] is not null))
        {
            var settings = Settings(rendered, container);
            var port = target switch
            {
                "silo" => int.Parse(settings["Silo__HealthPort"], System.Globalization.CultureInfo.InvariantCulture),
                _ => new Uri(settings["ASPNETCORE_URLS"]).Port,
            };
            var routes = ProbeRoutes[target];
            foreach (var kind in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                if (container[kind]?["httpGet"] is not { } get)
                {
                    Assert.True(container[kind] is null, $"{workload}/{container["name"]}'s {kind} is not an HTTP GET.");
                    continue;
                }

                var path = (string)get["path"]!;
                Assert.True(routes.Contains(path), $"{workload}/{container["name"]}'s {kind} asks {path}, which the {target} does not serve ({string.Join(", ", routes)}).");
                var probePort = get["port"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? (long)get["port"]!
                    : (long)container["ports"]!.AsArray().Single(p => (string?)p!["name"] == (string)get["port"]!)!["containerPort"]!;
                Assert.Equal(port, probePort);
                probed.Add($"{target} {kind} {path}");
            }
        }

        string[] expected =
        [
            "gateway livenessProbe /alive", "gateway readinessProbe /health",
            "silo livenessProbe /alive", "silo readinessProbe /health", "silo startupProbe /alive",
        ];
        if (overlay == "dev")
        {
            expected = [.. expected, "simulators livenessProbe /health", "simulators readinessProbe /health"];
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), probed.Order(StringComparer.Ordinal));
    }

    /// <summary>The routes each process serves to probes; ProcessProbeTests asks them of the real processes.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ProbeRoutes = new Dictionary<string, string[]>
    {
        ["silo"] = ["/alive", "/health"],
        ["gateway"] = ["/alive", "/health"],
        ["simulators"] = ["/health"],
    };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_reference_names_a_key_the_README_tells_users_to_set(string overlay)
    {
        var readme = Manifests.ReadmeSection();
        var references = SecretReferences(Manifests.Render(overlay)).Distinct().ToList();
        Assert.Equal(17, references.Count);
        foreach (var (secret, key) in references)
        {
            Assert.True(Regex.IsMatch(readme, $@"\|\s*`{Regex.Escape(secret)}`\s*\|\s*`{Regex.Escape(key)}`\s*\|"),
                $"README.md's 'Running on Kubernetes' has no row | `{secret}` | `{key}` | saying what to put in it.");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void No_secret_value_appears_in_any_manifest(string overlay)
    {
        var rendered = Manifests.Render(overlay);
        Assert.DoesNotContain(rendered, o => o.Kind == "Secret");
        foreach (var obj in rendered)
        {
            foreach (var container in Kustomization.Containers(obj.Node))
            {
                foreach (var env in container["env"]?.AsArray() ?? [])
                {
                    var name = (string)env!["name"]!;
                    Assert.False(SecretName().IsMatch(name) && env["value"] is not null, $"{obj}: {name} is a secret given inline; take it from a Secret (secretKeyRef).");
                }

                Assert.DoesNotContain(container["envFrom"]?.AsArray() ?? [], s => s!["secretRef"] is not null);
            }

            foreach (var (key, value) in obj.Kind == "ConfigMap" ? obj.Node["data"]?.AsObject() ?? [] : [])
            {
                Assert.False(SecretName().IsMatch(key), $"{obj}: {key} is a secret in a ConfigMap.");
                Assert.DoesNotMatch(PasswordInConnectionString(), (string?)value ?? string.Empty);
            }
        }

        // The simulators' dev-only logins and keys (run.sh's defaults) go in the dev Secret, never in a file here.
        var devOnly = DevOnlyValues();
        Assert.True(devOnly.Count >= 8, $"Found only {devOnly.Count} dev-only values in run.sh.");
        foreach (var file in Directory.EnumerateFiles(Manifests.Root, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(devOnly, v => text.Contains(v, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_silo_deployment_gives_Orleans_Kubernetes_hosting_what_it_needs(string overlay)
    {
        var rendered = Manifests.Render(overlay);
        var objects = rendered.Select(Manifests.LoadStrict).ToList();
        var silo = objects.OfType<V1Deployment>().Single(d => d.Name() == "tributary-silo");
        Assert.Equal(3, silo.Spec.Replicas);
        Assert.Equal(0, int.Parse(silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture));

        var container = silo.Spec.Template.Spec.Containers.Single();
        foreach (var (variable, fieldPath) in KubernetesPod.DownwardApi)
        {
            Assert.Equal(fieldPath, container.Env.Single(e => e.Name == variable).ValueFrom.FieldRef.FieldPath);
        }

        var settings = Settings(rendered, rendered.Single(o => o.Name == "tributary-silo" && o.Kind == "Deployment").Node["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject());
        Assert.Equal(settings["Cluster__ClusterId"], silo.Spec.Template.Metadata.Labels["orleans/clusterId"]);
        Assert.Equal(settings["Cluster__ServiceId"], silo.Spec.Template.Metadata.Labels["orleans/serviceId"]);
        Assert.Equal("false", settings["Database__MigrateOnStart"]);

        var shutdown = settings.TryGetValue("Silo__ShutdownTimeout", out var text) ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : new SiloHostOptions().ShutdownTimeout;
        Assert.True(silo.Spec.Template.Spec.TerminationGracePeriodSeconds > shutdown.TotalSeconds,
            $"terminationGracePeriodSeconds {silo.Spec.Template.Spec.TerminationGracePeriodSeconds} is not longer than Silo:ShutdownTimeout {shutdown}.");

        var annotations = silo.Spec.Template.Metadata.Annotations;
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(settings["Silo__HealthPort"], annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);

        // The silos wait for the migration Job, which runs the same image's migrate command.
        var wait = silo.Spec.Template.Spec.InitContainers.Single();
        Assert.Equal(["wait-for-schema"], wait.Args);
        Assert.Equal(container.Image, wait.Image);
        var migrate = objects.OfType<V1Job>().Single().Spec.Template.Spec.Containers.Single();
        Assert.Equal(["migrate"], migrate.Args);
        Assert.Equal(container.Image, migrate.Image);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void RBAC_lets_the_silos_read_pods_of_their_namespace_and_nothing_more(string overlay)
    {
        var objects = Typed(overlay);
        Assert.Empty(objects.OfType<V1ClusterRole>());
        Assert.Empty(objects.OfType<V1ClusterRoleBinding>());
        var role = objects.OfType<V1Role>().Single();
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "watch"], rule.Verbs.Order(StringComparer.Ordinal));

        var binding = objects.OfType<V1RoleBinding>().Single();
        Assert.Equal(("Role", role.Name()), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "tributary-silo", role.Namespace()), (subject.Kind, subject.Name, subject.NamespaceProperty));

        var pods = objects.OfType<V1Deployment>().Select(d => (d.Name(), d.Spec.Template.Spec))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Name(), s.Spec.Template.Spec)))
            .Concat(objects.OfType<V1Job>().Select(j => (j.Name(), j.Spec.Template.Spec)));
        foreach (var (name, spec) in pods)
        {
            if (name == "tributary-silo")
            {
                Assert.Equal("tributary-silo", spec.ServiceAccountName);
            }
            else
            {
                Assert.True(spec.AutomountServiceAccountToken == false, $"{name} gets a Kubernetes API token it does not need.");
                Assert.NotEqual("tributary-silo", spec.ServiceAccountName);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_requests_and_is_limited_in_cpu_and_memory(string overlay)
    {
        var containers = Manifests.Render(overlay).SelectMany(o => Kustomization.Containers(o.Node).Select(c => (o.Name, c))).ToList();
        Assert.Equal(overlay == "dev" ? 6 : 4, containers.Count);
        foreach (var (workload, node) in containers)
        {
            var container = k8s.KubernetesJson.Deserialize<V1Container>(node.ToJsonString());
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{workload}/{container.Name} requests no {resource}.");
                Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{workload}/{container.Name} has no {resource} limit.");
                Assert.True(container.Resources!.Requests![resource].ToDecimal() <= container.Resources.Limits![resource].ToDecimal(),
                    $"{workload}/{container.Name} requests more {resource} than its limit.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_images_are_the_Dockerfile_targets_under_one_tag(string overlay)
    {
        var targets = Manifests.DockerfileTargets();
        Assert.Equal(["silo", "gateway", "simulators"], targets);

        var rendered = Manifests.Render(overlay);
        var tributary = TributaryContainers(rendered, overlay).ToList();
        var used = tributary.Select(c => c.Target).Distinct().Order(StringComparer.Ordinal).ToList();
        // The simulators run in dev only.
        Assert.Equal(overlay == "dev" ? ["gateway", "silo", "simulators"] : ["gateway", "silo"], used);
        var tags = tributary.Select(c => Kustomization.SplitImage((string)c.Container["image"]!).Tag).Distinct().ToList();
        Assert.Equal([overlay == "dev" ? "dev" : "1.0.0"], tags);

        // Every container not built from the Dockerfile is dev's PostgreSQL.
        var others = rendered.SelectMany(o => Kustomization.Containers(o.Node)).Select(c => (string)c["image"]!).Except(tributary.Select(c => (string)c.Container["image"]!));
        Assert.Equal(overlay == "dev" ? ["postgres:15"] : [], others);
    }

    [Fact]
    public void The_base_names_each_image_by_its_Dockerfile_target_alone()
    {
        var images = Manifests.ResourceFiles()
            .SelectMany(f => YamlDocuments.Load(File.ReadAllText(f)))
            .SelectMany(n => Kustomization.Containers(n.AsObject()))
            .Select(c => (string)c["image"]!)
            .Where(i => i.StartsWith("tributary/", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(Manifests.DockerfileTargets().Select(Manifests.ImageOf).Order(StringComparer.Ordinal), images);
    }

    private static List<object> Typed(string overlay) => [.. Manifests.Render(overlay).Select(Manifests.LoadStrict)];

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>The containers built from the Dockerfile, each with the target it runs, for an overlay's image mapping.</summary>
    private static IEnumerable<(string Workload, JsonObject Container, string Target)> TributaryContainers(IReadOnlyList<RenderedObject> rendered, string overlay)
    {
        var kustomization = YamlDocuments.Load(File.ReadAllText(Path.Combine(Manifests.Root, "overlays", overlay, "kustomization.yaml"))).Single();
        var names = Manifests.DockerfileTargets().ToDictionary(Manifests.ImageOf, t => t);
        foreach (var image in kustomization["images"]?.AsArray() ?? [])
        {
            if ((string?)image!["newName"] is { } newName && names.TryGetValue((string)image["name"]!, out var target))
            {
                names[newName] = target;
            }
        }

        foreach (var obj in rendered)
        {
            foreach (var container in Kustomization.Containers(obj.Node))
            {
                if (names.TryGetValue(Kustomization.SplitImage((string)container["image"]!).Name, out var target))
                {
                    yield return (obj.Name, container, target);
                }
            }
        }
    }

    /// <summary>A container's plain settings: its ConfigMaps' data, then its literal env values.</summary>
    private static Dictionary<string, string> Settings(IReadOnlyList<RenderedObject> rendered, JsonObject container)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var data = rendered.Single(o => o.Kind == "ConfigMap" && o.Name == (string?)source!["configMapRef"]?["name"]).Node["data"]?.AsObject() ?? [];
            foreach (var (key, value) in data)
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

    private static IEnumerable<(string Secret, string Key)> SecretReferences(IReadOnlyList<RenderedObject> rendered)
    {
        foreach (var obj in rendered)
        {
            foreach (var container in Kustomization.Containers(obj.Node))
            {
                foreach (var env in container["env"]?.AsArray() ?? [])
                {
                    if (env!["valueFrom"]?["secretKeyRef"] is { } reference)
                    {
                        yield return ((string)reference["name"]!, (string)reference["key"]!);
                    }
                }
            }

            foreach (var volume in Kustomization.PodSpec(obj.Node)?["volumes"]?.AsArray() ?? [])
            {
                Assert.True(volume!["secret"] is null, $"{obj} mounts a Secret; the README lists secrets by variable only.");
            }
        }
    }

    /// <summary>run.sh's dev-only defaults for the simulators' logins: values that must never be in a manifest.</summary>
    private static List<string> DevOnlyValues() =>
        [.. DevOnlyDefault().Matches(File.ReadAllText(RepoPaths.Combine("run.sh"))).Select(m => m.Groups[1].Value).Distinct()];

    [GeneratedRegex(@"(?i)(password|secret|apikey|api_key|token|keyringkey|admin_key|passphrase|totp)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(^|;)\s*(password|pwd)\s*=")]
    private static partial Regex PasswordInConnectionString();

    [GeneratedRegex(@":-(sim-[a-z-]*dev-only|[A-Z2-7]{32})\}")]
    private static partial Regex DevOnlyDefault();
}
