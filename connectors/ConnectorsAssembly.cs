namespace Tributary.Connectors;

/// <summary>Typed clients of the upstreams; each domain issue adds its own folder here.</summary>
public static class ConnectorsAssembly;
