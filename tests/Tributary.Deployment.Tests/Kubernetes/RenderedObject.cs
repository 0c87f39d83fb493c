namespace Tributary.Deployment.Tests.Kubernetes;

/// <summary>One object of a rendered kustomization and the file it came from.</summary>
public sealed record RenderedObject(string Source, JsonObject Node)
{
    public string Kind => (string?)Node["kind"] ?? string.Empty;
    public string Name => (string?)Node["metadata"]?["name"] ?? string.Empty;
    public override string ToString() => $"{Kind}/{Name} ({Source})";
}
