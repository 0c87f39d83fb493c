namespace Tributary.Connectors.Credinvest;

/// <summary>A listed file the selection did not take, and why.</summary>
public sealed record LeftOut(string Name, string Reason);
