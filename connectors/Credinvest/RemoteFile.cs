namespace Tributary.Connectors.Credinvest;

/// <summary>A regular file in the Credinvest directory.</summary>
public sealed record RemoteFile(string Name, long Size, DateTimeOffset LastWriteUtc);
