namespace Tributary.Connectors.AiPlatform;

/// <summary>Where the AI platform is and which key and tenant to call it with, bound from the <c>AiPlatform</c> section.</summary>
/// <remarks>
/// The user's name and password are not settings: each caller passes the user's own to
/// <see cref="AiPlatformClient.LoginAsync"/>. The API key comes from configuration or the environment
/// (<c>AiPlatform__ApiKey</c>) and is never logged nor put in an error message.
/// </remarks>
public sealed class AiPlatformOptions
{
    public const string Section = "AiPlatform";

    /// <summary>
    /// The platform's API root, such that the login is <c>{BaseUrl}auth/login</c> and the analyses
    /// <c>{BaseUrl}v1/analyses</c>: <c>http://127.0.0.1:5090/aiplatform/</c> for the simulators; required. A missing
    /// trailing slash is added.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent in the <c>X-API-Key</c> header of every call; required, never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Sent in the <c>X-Tenant-Id</c> header of every call; required.</summary>
    public string? TenantId { get; set; }

    /// <summary>How long one HTTP call may take, reply body included (an analysis is slow), before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
