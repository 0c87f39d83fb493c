using System.Text.Json.Serialization;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// A file or folder metadata of <c>list_folder</c>, <c>upload</c> and <c>delete</c>; the file-only fields are left out
/// of a folder, as Dropbox does.
/// </summary>
public sealed record DropboxEntry(
    [property: JsonPropertyName(".tag")] string Tag,
    string Name,
    string Id,
    string PathLower,
    string PathDisplay,
    string? ClientModified = null,
    string? ServerModified = null,
    string? Rev = null,
    long? Size = null,
    bool? IsDownloadable = null,
    string? ContentHash = null);
