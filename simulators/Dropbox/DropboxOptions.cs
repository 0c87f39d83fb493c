namespace Tributary.Simulators.Dropbox;

/// <summary>The simulated Dropbox HTTP API v2 (OAuth, RPC and content hosts), bound from <c>Simulators:Dropbox</c>.</summary>
public sealed class DropboxOptions
{
    public const string Section = "Simulators:Dropbox";

    public const int MaxAccessTokenSeconds = 86_400;
    public const int MaxContentionRetryAfterSeconds = 3_600;
    public const int MaxDeleteBatchInProgressChecks = 100;

    /// <summary>Dropbox's own bound on one upload request, 150 MiB.</summary>
    public const long MaxUploadLimitBytes = 150L * 1024 * 1024;

    /// <summary>The one app the OAuth host knows, the <c>client_id</c> (a dev-only fake).</summary>
    public string AppKey { get; set; } = "tributary-sim";

    /// <summary>The secret of <see cref="AppKey"/>, the <c>client_secret</c> (a dev-only fake).</summary>
    public string AppSecret { get; set; } = "sim-dropbox-secret-dev-only";

    /// <summary>The one refresh token the OAuth host accepts (a dev-only fake; it never expires).</summary>
    public string RefreshToken { get; set; } = "sim-dropbox-refresh-dev-only";

    /// <summary>Lifetime of an access token, sent as <c>expires_in</c>.</summary>
    public int AccessTokenSeconds { get; set; } = 14_400;

    /// <summary>
    /// The <c>retry_after</c> (and <c>Retry-After</c>) of a write-contention 429; 0 sends neither, the case a client
    /// must survive.
    /// </summary>
    public int ContentionRetryAfterSeconds { get; set; }

    /// <summary>How many <c>delete_batch/check</c> calls of a job answer <c>in_progress</c> before <c>complete</c>.</summary>
    public int DeleteBatchInProgressChecks { get; set; } = 1;

    /// <summary>The largest body of one upload or upload-session request; larger is <c>payload_too_large</c>.</summary>
    public long UploadLimitBytes { get; set; } = MaxUploadLimitBytes;
}
