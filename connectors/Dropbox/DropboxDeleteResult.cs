namespace Tributary.Connectors.Dropbox;

/// <summary>What became of one path of a delete batch: its <see cref="Deleted"/> metadata, or the <see cref="Failure"/> Dropbox named.</summary>
/// <param name="Path">The path as asked.</param>
/// <param name="Failure">Dropbox's reason, such as <c>path_lookup/not_found</c>; null on success.</param>
public sealed record DropboxDeleteResult(string Path, DropboxMetadata? Deleted, string? Failure)
{
    public bool Succeeded => Deleted is not null;
}
