namespace Tributary.Storage.Relay;

/// <summary>One file of a relay run's SFTP listing, as <c>relay_listing</c> keeps it.</summary>
/// <param name="Account">The account number an INTE name carries; null for names that are not INTE names.</param>
/// <param name="FileType"><c>INTE100F</c> or <c>INTE400F</c>; null for other names.</param>
/// <param name="StampedAt">The timestamp in the name (Credinvest's local time, as written); null for other names.</param>
/// <param name="Reason">Why the file was left out; null for a selected file.</param>
public sealed record ListedFile(
    Guid RunId,
    string Name,
    long Size,
    DateTimeOffset ModifiedAt,
    string? Account,
    string? FileType,
    DateTime? StampedAt,
    bool Selected,
    string? Reason,
    DateTimeOffset ListedAt);

/// <summary>One selected file's upload in a relay run, as <c>relay_upload</c> keeps it.</summary>
/// <param name="Status"><see cref="Uploaded"/> once Dropbox's content hash matched ours, else <see cref="Failed"/>.</param>
/// <param name="ContentHash">The verified Dropbox content hash of what was uploaded; null until then.</param>
/// <param name="Attempts">Attempts that reached the end (uploaded) or failed.</param>
/// <param name="Error">The last attempt's failure; null once uploaded.</param>
public sealed record FileUpload(
    Guid RunId,
    string Name,
    string Account,
    string FileType,
    long Size,
    string Status,
    string? ContentHash,
    string DropboxPath,
    int Attempts,
    string? Error,
    DateTimeOffset UpdatedAt)
{
    public const string Uploaded = "uploaded";
    public const string Failed = "failed";

    /// <summary>The seed's words for a failed file: "Account 12345 - INTE100F".</summary>
    public string FailedAccount => $"Account {Account} - {FileType}";
}
