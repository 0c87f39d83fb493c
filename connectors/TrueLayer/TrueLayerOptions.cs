namespace Tributary.Connectors.TrueLayer;

/// <summary>Where and how to call TrueLayer's auth and Data API hosts, bound from the <c>TrueLayer</c> section.</summary>
/// <remarks>
/// The client secret comes from configuration or the environment only (<c>TrueLayer__ClientSecret</c>), never from
/// code or state. The per-connection tokens are not options: the callers pass them per call.
/// </remarks>
public sealed class TrueLayerOptions
{
    public const string Section = "TrueLayer";

    /// <summary>
    /// The auth host root, such as <c>https://auth.truelayer.com/</c>, or <c>http://127.0.0.1:5090/truelayer/auth/</c>
    /// for the simulators; required. The auth dialog is this URL itself, the token endpoint <c>{AuthUrl}connect/token</c>.
    /// A missing trailing slash is added.
    /// </summary>
    public Uri? AuthUrl { get; set; }

    /// <summary>
    /// The data host root, such as <c>https://api.truelayer.com/</c>, or <c>http://127.0.0.1:5090/truelayer/api/</c>
    /// for the simulators; required. Calls go to <c>{DataUrl}data/v1/...</c>. A missing trailing slash is added.
    /// </summary>
    public Uri? DataUrl { get; set; }

    /// <summary>The client id of the TrueLayer application; required.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret of the TrueLayer application; required. Never logged nor put in an error message.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Where the auth dialog sends the user back with the authorization code: the gateway's
    /// <c>/api/truelayer/callback</c>; required, and registered as an allowed redirect URI of the application.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// The permissions asked for in the auth dialog, space separated. <c>offline_access</c> is required: without it
    /// TrueLayer issues no refresh token and a connection dies with its first access token (an hour).
    /// </summary>
    public string Scopes { get; set; } = "info accounts balance cards transactions offline_access";

    /// <summary>The providers the auth dialog offers, space separated; null or empty for TrueLayer's default.</summary>
    public string? Providers { get; set; } = "uk-ob-all uk-oauth-all";

    /// <summary>How long one HTTP call may take, reply body included, before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
