using System.Text.Json.Serialization;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// <c>GET /_admin/dropbox</c>: every file, the writes that took a folder's lease (in total and per lower-case folder),
/// the writes refused for contention, the writes in flight now and the open upload sessions.
/// </summary>
public sealed record DropboxSnapshot(
    IReadOnlyList<DropboxSnapshot.FileState> Files,
    int Writes,
    IReadOnlyDictionary<string, int> WritesByFolder,
    int Contended,
    int WritesInFlight,
    int OpenSessions)
{
    /// <summary>One file as displayed, its size and its Dropbox content hash (<c>content_hash</c>, as Dropbox spells it).</summary>
    public sealed record FileState(string Path, long Size, [property: JsonPropertyName("content_hash")] string ContentHash);
}
