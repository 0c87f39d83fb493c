namespace Tributary.Connectors.Dropbox;

/// <summary>Where Dropbox's three hosts are and the app's credentials, bound from the <c>Dropbox</c> section.</summary>
/// <remarks>
/// <see cref="AppSecret"/> and <see cref="RefreshToken"/> come from configuration or the environment only
/// (<c>Dropbox__AppSecret</c>, <c>Dropbox__RefreshToken</c>); they are never logged nor put in an error message.
/// </remarks>
public sealed class DropboxOptions
{
    public const string Section = "Dropbox";

    /// <summary>Dropbox's bound on one upload request: larger content goes through an upload session.</summary>
    public const long MaxUploadSessionThreshold = 150L * 1024 * 1024;

    /// <summary>The smallest <see cref="UploadSessionThreshold"/> accepted (tests use small ones).</summary>
    public const long MinUploadSessionThreshold = 1024;

    /// <summary>The OAuth host root, <c>https://api.dropboxapi.com/</c> (<c>http://127.0.0.1:5090/dropbox/</c> for the simulators); <c>oauth2/token</c> is under it.</summary>
    public Uri? OAuthUrl { get; set; }

    /// <summary>The RPC host root, <c>https://api.dropboxapi.com/</c> (<c>http://127.0.0.1:5090/dropbox/api/</c>).</summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>The content host root, <c>https://content.dropboxapi.com/</c> (<c>http://127.0.0.1:5090/dropbox/content/</c>).</summary>
    public Uri? ContentUrl { get; set; }

    /// <summary>The app key, sent as <c>client_id</c>; required.</summary>
    public string? AppKey { get; set; }

    /// <summary>The app secret, sent as <c>client_secret</c>; required, never logged.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The long-lived refresh token of the app's authorization; required, never logged.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>
    /// Content longer than this goes through an upload session in parts of this size; 1 KiB..150 MiB (default 150 MiB,
    /// Dropbox's bound on one request).
    /// </summary>
    public long UploadSessionThreshold { get; set; } = MaxUploadSessionThreshold;

    /// <summary>How many entries one <c>list_folder</c> page asks for, 1..2000.</summary>
    public int ListLimit { get; set; } = 2000;

    /// <summary>The wait between two <c>delete_batch/check</c> polls of one batch.</summary>
    public TimeSpan DeleteBatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one HTTP call may take, body included, before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
