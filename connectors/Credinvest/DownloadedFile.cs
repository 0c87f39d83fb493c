namespace Tributary.Connectors.Credinvest;

/// <summary>A file in the download directory.</summary>
/// <param name="Skipped">It was there already with the same size, so it was not fetched again.</param>
public sealed record DownloadedFile(string Name, string LocalPath, long Size, bool Skipped);
