using System.Net;
using Orleans.Hosting.Kubernetes;

namespace Tributary.Silo;

/// <summary>
/// The Kubernetes pod a silo runs in, as the downward API tells it: its name, namespace and IP. A silo in a pod
/// advertises the pod's IP, is named after the pod and turns on Orleans' Kubernetes hosting, which watches the pods of
/// its cluster and declares a silo dead as soon as its pod is deleted instead of after missed probes.
/// </summary>
/// <remarks>
/// Kubernetes sets <c>KUBERNETES_SERVICE_HOST</c> in every container of every pod: that is how a silo knows it runs in
/// one. The pod's name, namespace and IP are not set by Kubernetes itself; the manifest passes them
/// (<c>deploy/kubernetes/base/silo.yaml</c>), and a silo in a pod without them stops at start with a sentence saying so,
/// rather than advertising an address nobody can reach.
/// </remarks>
public sealed record KubernetesPod(string Name, string Namespace, IPAddress Address)
{
    /// <summary>Set by Kubernetes in every container; its presence means "in a pod".</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>The variables a silo in a pod needs from the downward API, each with the field that gives it.</summary>
    public static IReadOnlyList<(string Variable, string FieldPath)> DownwardApi { get; } =
    [
        (KubernetesHostingOptions.PodNameEnvironmentVariable, "metadata.name"),
        (KubernetesHostingOptions.PodNamespaceEnvironmentVariable, "metadata.namespace"),
        (KubernetesHostingOptions.PodIPEnvironmentVariable, "status.podIP"),
    ];

    /// <summary>
    /// The pod this process runs in, <see langword="null"/> outside Kubernetes. <paramref name="problems"/> gets a
    /// sentence for each downward-API variable that a process in a pod is missing or has wrong.
    /// </summary>
    public static KubernetesPod? Detect(Func<string, string?> environment, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var found = new List<string>();
        problems = found;
        if (string.IsNullOrWhiteSpace(environment(ServiceHostVariable)))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, fieldPath) in DownwardApi)
        {
            if (environment(variable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value))
            {
                values[variable] = value.Trim();
            }
            else
            {
                found.Add($"This silo runs in a Kubernetes pod ({ServiceHostVariable} is set) but {variable} is not set: " +
                    $"give it from the downward API (env {variable}, valueFrom.fieldRef.fieldPath {fieldPath}) as deploy/kubernetes/base/silo.yaml does.");
            }
        }

        IPAddress? address = null;
        if (values.TryGetValue(KubernetesHostingOptions.PodIPEnvironmentVariable, out var ip) && !IPAddress.TryParse(ip, out address))
        {
            found.Add($"{KubernetesHostingOptions.PodIPEnvironmentVariable} must be the pod's IP address (fieldRef status.podIP), was '{ip}'.");
        }

        return found.Count > 0 || address is null
            ? null
            : new KubernetesPod(values[KubernetesHostingOptions.PodNameEnvironmentVariable], values[KubernetesHostingOptions.PodNamespaceEnvironmentVariable], address);
    }
}
