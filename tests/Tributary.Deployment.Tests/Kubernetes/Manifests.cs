using System.Text.RegularExpressions;
using k8s;

namespace Tributary.Deployment.Tests.Kubernetes;

/// <summary>The files under <c>deploy/kubernetes/</c> and what they render to, as the tests read them.</summary>
public static partial class Manifests
{
    public static string Root { get; } = RepoPaths.Combine("deploy", "kubernetes");

    /// <summary>The overlays a user applies.</summary>
    public static TheoryData<string> Overlays { get; } = new() { "dev", "production" };

    /// <summary>Every manifest file (not a kustomization, not a patch): each must load as Kubernetes objects by itself.</summary>
    public static IEnumerable<string> ResourceFiles() =>
        Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && !PatchFiles().Contains(f))
            .Order(StringComparer.Ordinal);

    /// <summary>The JSON 6902 patch files the kustomizations name.</summary>
    public static HashSet<string> PatchFiles() =>
    [
        .. Directory.EnumerateFiles(Root, "kustomization.yaml", SearchOption.AllDirectories)
            .SelectMany(k => YamlDocuments.Load(File.ReadAllText(k)).Single()["patches"]?.AsArray()
                .Select(p => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(k)!, (string)p!["path"]!))) ?? []),
    ];

    public static IReadOnlyList<RenderedObject> Render(string overlay) => Kustomization.Render(Path.Combine(Root, "overlays", overlay));

    /// <summary>
    /// <paramref name="yaml"/> loaded by KubernetesClient into its typed model, strictly: a field the model does not have
    /// (a typo, a field of another kind or version) throws.
    /// </summary>
    public static List<object> LoadStrict(string yaml) => KubernetesYaml.LoadAllFromString(yaml, null, strict: true);

    /// <summary>A rendered object through the same strict loader (JSON is YAML).</summary>
    public static object LoadStrict(RenderedObject obj) => LoadStrict(obj.Node.ToJsonString()).Single();

    /// <summary>The targets of the Dockerfile (<c>FROM ... AS name</c>) that run a process: every stage but the build.</summary>
    public static IReadOnlyList<string> DockerfileTargets() =>
        [.. TargetPattern().Matches(File.ReadAllText(RepoPaths.Combine("Dockerfile"))).Select(m => m.Groups[1].Value).Where(t => t != "build")];

    /// <summary>The image name a base manifest uses for a Dockerfile target; overlays map it to a registry and tag.</summary>
    public static string ImageOf(string target) => $"tributary/{target}";

    /// <summary>The README's section "Running on Kubernetes", up to the next section of the same level.</summary>
    public static string ReadmeSection()
    {
        var readme = File.ReadAllText(RepoPaths.Combine("README.md"));
        var start = readme.IndexOf("\n## Running on Kubernetes", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section '## Running on Kubernetes'.");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    [GeneratedRegex(@"^FROM\s+\S+\s+AS\s+(\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex TargetPattern();
}
