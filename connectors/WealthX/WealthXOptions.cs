namespace Tributary.Connectors.WealthX;

/// <summary>Where and how to call WealthX Connect, bound from the <c>WealthX</c> section.</summary>
/// <remarks>
/// Credentials come from configuration or the environment only (<c>WealthX__Password</c>), never from code or
/// state; each feed of the pull has its own section and so its own credentials.
/// </remarks>
public sealed class WealthXOptions
{
    public const string Section = "WealthX";

    /// <summary>Where the options of a client name live: <c>WealthX</c> for the unnamed one, <c>WealthX:Feeds:{name}</c> for a feed's.</summary>
    public static string SectionOf(string? name) => string.IsNullOrEmpty(name) ? Section : $"{Section}:Feeds:{name}";

    /// <summary>The most records WealthX returns in one <c>alldossiers</c> call: a wider range is refused with a 400.</summary>
    public const int ApiMaxRecordsPerCall = 500;

    /// <summary>
    /// The API root, such as <c>https://connect.wealthx.com/rest/v1/</c>, or
    /// <c>http://127.0.0.1:5090/wealthx/rest/v1/</c> for the simulators; required. A missing trailing slash is added.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent in the <c>username</c> header; required. Never logged nor put in an error message.</summary>
    public string? Username { get; set; }

    /// <summary>Sent in the <c>password</c> header; required. Never logged nor put in an error message.</summary>
    public string? Password { get; set; }

    /// <summary>Sent in the <c>apikey</c> header where WealthX issued one; optional. Never logged nor put in an error message.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one HTTP call may take, reply body included, before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Records per <c>alldossiers</c> call: the widest range a page may ask for. 1..500.</summary>
    public int ApiBatchSize { get; set; } = ApiMaxRecordsPerCall;
}
