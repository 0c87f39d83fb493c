namespace Tributary.Connectors.Dropbox;

/// <summary>A file or folder as Dropbox describes it; the file-only fields are null for a folder.</summary>
/// <param name="Tag"><c>file</c> or <c>folder</c> (or <c>deleted</c>).</param>
/// <param name="ContentHash">Dropbox's <see cref="DropboxContentHash"/> of a file.</param>
public sealed record DropboxMetadata(
    string Tag,
    string Name,
    string PathLower,
    string PathDisplay,
    string? Id,
    string? Rev,
    long? Size,
    string? ContentHash,
    DateTimeOffset? ServerModified)
{
    public bool IsFile => Tag == "file";

    public bool IsFolder => Tag == "folder";
}
