namespace Tributary.FileRelay;

/// <summary>The Credinvest -> Dropbox relay. Section <c>Relay</c>.</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>The Dropbox folder the INTE files go to (the seed's <c>/cred/</c>).</summary>
    public string DropboxFolder { get; set; } = "/cred";

    /// <summary>
    /// Where the silo downloads files to, and the root a run's <c>download_dir</c> lies under (a request names a folder
    /// inside it, never one elsewhere on the silo's disk). Default: <c>tributary-credinvest</c> in the temp folder.
    /// </summary>
    public string DownloadDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "tributary-credinvest");

    /// <summary>The least time from the end of one Dropbox call to the start of the next (the seed's 0.5 s between uploads).</summary>
    public TimeSpan UploadInterval { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// How many 429s one upload may meet before it counts as a failed attempt. Each 429's wait is honoured in full (its
    /// Retry-After, else 1, 2, 4 ... s for a <c>too_many_write_operations</c> without one) and costs no attempt.
    /// </summary>
    public int MaxThrottledWaits { get; set; } = 20;
}
