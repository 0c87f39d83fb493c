namespace Tributary.Deployment.Tests.Kubernetes;

/// <summary>
/// Renders a kustomization as <c>kubectl kustomize</c> does, for the fields Tributary's overlays use:
/// <c>resources</c> (files and other kustomizations), <c>namespace</c>, <c>images</c> (newName, newTag) and
/// <c>patches</c> with a JSON 6902 patch file and a kind/name target. Any other field, or a patch whose target matches
/// nothing, fails the render: an overlay cannot use a feature this render would silently skip.
/// </summary>
/// <remarks>
/// Checked by hand against <c>kubectl kustomize</c> (kustomize v5.5.0) when it was written: both overlays rendered to
/// the same objects, field for field. CI machines have no kubectl, so the tests use this render.
/// </remarks>
public static class Kustomization
{
    private static readonly HashSet<string> KnownFields = ["apiVersion", "kind", "namespace", "resources", "images", "patches"];
    private static readonly HashSet<string> ClusterScopedKinds = ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "CustomResourceDefinition"];

    public static IReadOnlyList<RenderedObject> Render(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var kustomization = YamlDocuments.Load(File.ReadAllText(file)).Single().AsObject();
        Check((string?)kustomization["kind"] == "Kustomization" && (string?)kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1",
            file, "is not a kustomize.config.k8s.io/v1beta1 Kustomization");
        foreach (var (field, _) in kustomization)
        {
            Check(KnownFields.Contains(field), file, $"uses '{field}', which this render does not apply (only {string.Join(", ", KnownFields)})");
        }

        var objects = new List<RenderedObject>();
        foreach (var resource in kustomization["resources"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            if (Directory.Exists(path))
            {
                objects.AddRange(Render(path));
            }
            else
            {
                Check(File.Exists(path), file, $"lists '{resource}', which does not exist");
                objects.AddRange(YamlDocuments.Load(File.ReadAllText(path)).Select(n => new RenderedObject(Relative(path), n.AsObject())));
            }
        }

        foreach (var patch in kustomization["patches"]?.AsArray().Select(p => p!.AsObject()) ?? [])
        {
            ApplyPatch(directory, file, patch, objects);
        }

        if ((string?)kustomization["namespace"] is { } ns)
        {
            SetNamespace(objects, ns);
        }

        foreach (var image in kustomization["images"]?.AsArray().Select(i => i!.AsObject()) ?? [])
        {
            SetImage(file, image, objects);
        }

        var duplicates = objects.GroupBy(o => (o.Kind, o.Name, (string?)o.Node["metadata"]?["namespace"])).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Check(duplicates.Count == 0, file, $"renders the same object twice: {string.Join(", ", duplicates)}");
        return objects;
    }

    /// <summary>Every container of a pod template in <paramref name="obj"/>, init containers included.</summary>
    public static IEnumerable<JsonObject> Containers(JsonObject obj)
    {
        var podSpec = PodSpec(obj);
        if (podSpec is null)
        {
            return [];
        }

        return (podSpec["initContainers"]?.AsArray() ?? []).Concat(podSpec["containers"]?.AsArray() ?? []).Select(c => c!.AsObject());
    }

    /// <summary>The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job) or a Pod; null for anything else.</summary>
    public static JsonObject? PodSpec(JsonObject obj) => (string?)obj["kind"] switch
    {
        "Pod" => obj["spec"]?.AsObject(),
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => obj["spec"]?["template"]?["spec"]?.AsObject(),
        "CronJob" => obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?.AsObject(),
        _ => null,
    };

    private static void ApplyPatch(string directory, string file, JsonObject patch, List<RenderedObject> objects)
    {
        foreach (var (field, _) in patch)
        {
            Check(field is "path" or "target", file, $"has a patch with '{field}'; this render applies only path (a JSON 6902 file) with a target");
        }

        var target = patch["target"]?.AsObject();
        Check(target is not null && target.All(f => f.Key is "kind" or "name"), file, "has a patch whose target is not just kind and name");
        var path = Path.Combine(directory, (string)patch["path"]!);
        var operations = YamlDocuments.Load(File.ReadAllText(path)).Single().AsArray();
        var matched = objects.Where(o => o.Kind == (string?)target!["kind"] && o.Name == (string?)target["name"]).ToList();
        Check(matched.Count > 0, file, $"patches {target!["kind"]}/{target["name"]}, which no resource is");
        foreach (var obj in matched)
        {
            JsonPatchDocument.Apply(obj.Node, operations, Relative(path));
        }
    }

    private static void SetNamespace(List<RenderedObject> objects, string ns)
    {
        foreach (var obj in objects.Where(o => !ClusterScopedKinds.Contains(o.Kind)))
        {
            obj.Node["metadata"]!.AsObject()["namespace"] = ns;
        }

        // As kustomize does: service accounts bound by the overlay's roles are the overlay's own.
        foreach (var binding in objects.Where(o => o.Kind is "RoleBinding" or "ClusterRoleBinding"))
        {
            foreach (var subject in binding.Node["subjects"]?.AsArray().Select(s => s!.AsObject()) ?? [])
            {
                if ((string?)subject["kind"] == "ServiceAccount")
                {
                    subject["namespace"] = ns;
                }
            }
        }
    }

    private static void SetImage(string file, JsonObject image, List<RenderedObject> objects)
    {
        Check(image.All(f => f.Key is "name" or "newName" or "newTag"), file, "has an image entry with a field other than name, newName and newTag");
        var name = (string)image["name"]!;
        foreach (var container in objects.SelectMany(o => Containers(o.Node)))
        {
            var current = (string?)container["image"] ?? string.Empty;
            var (currentName, currentTag) = SplitImage(current);
            if (currentName == name)
            {
                var newName = (string?)image["newName"] ?? currentName;
                var newTag = (string?)image["newTag"] ?? currentTag;
                container["image"] = newTag is null ? newName : $"{newName}:{newTag}";
            }
        }
    }

    /// <summary>An image reference's name and tag (the tag is after the last ':' that follows the last '/').</summary>
    public static (string Name, string? Tag) SplitImage(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }

    private static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path);

    private static void Check(bool condition, string file, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{Relative(file)} {problem}.");
        }
    }
}
