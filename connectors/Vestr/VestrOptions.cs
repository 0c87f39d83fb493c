namespace Tributary.Connectors.Vestr;

/// <summary>
/// How to log in to Vestr's identity provider (Keycloak, with a TOTP second factor) and where its GraphQL API is,
/// bound from the <c>Vestr</c> section.
/// </summary>
/// <remarks>
/// The username, password and TOTP secret come from configuration or the environment only
/// (<c>Vestr__Password</c>, <c>Vestr__TotpSecret</c>); they are never logged nor put in an error message.
/// </remarks>
public sealed class VestrOptions
{
    public const string Section = "Vestr";

    /// <summary>The <see cref="LoginFlow"/> that walks Keycloak's login pages as a browser does (the default).</summary>
    public const string BrowserFlow = "browser";

    /// <summary>The <see cref="LoginFlow"/> that posts the credentials and the code to the token endpoint at once.</summary>
    public const string DirectGrantFlow = "direct_grant";

    /// <summary>
    /// The Keycloak realm root, such as <c>https://login.vestr.com/realms/vestr/</c>, or
    /// <c>http://127.0.0.1:5090/keycloak/realms/vestr/</c> for the simulators; required. A missing trailing slash is added.
    /// </summary>
    public Uri? KeycloakUrl { get; set; }

    /// <summary>The Keycloak client the login is made for (a public client).</summary>
    public string ClientId { get; set; } = "vestr-app";

    /// <summary>
    /// The redirect URI of the browser flow, registered with the client. Nothing is ever requested there: the
    /// authorization code is read from the <c>Location</c> header of Keycloak's redirect.
    /// </summary>
    public Uri? RedirectUri { get; set; } = new("http://127.0.0.1/vestr/callback");

    /// <summary>The Vestr user; required, never logged.</summary>
    public string? Username { get; set; }

    /// <summary>The Vestr user's password; required, never logged.</summary>
    public string? Password { get; set; }

    /// <summary>The user's TOTP secret, base32 as the authenticator enrolment shows it; required, never logged.</summary>
    public string? TotpSecret { get; set; }

    /// <summary><see cref="BrowserFlow"/> (<c>browser</c>) or <see cref="DirectGrantFlow"/> (<c>direct_grant</c>).</summary>
    public string LoginFlow { get; set; } = BrowserFlow;

    /// <summary>The GraphQL endpoint, such as <c>http://127.0.0.1:5090/vestr/graphql</c>; required. Posted to as is.</summary>
    public Uri? GraphQlUrl { get; set; }

    /// <summary>How many fee deductions one page asks for (GraphQL <c>first</c>), 1..500.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>How many days back an incremental import reaches, 1..3650.</summary>
    public int IncrementalDays { get; set; } = 30;

    /// <summary>The first booking date a full import asks for.</summary>
    public DateOnly FullSyncFrom { get; set; } = new(2020, 1, 1);

    /// <summary>How long one HTTP call may take, reply body included, before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far Keycloak's clock (its replies' <c>Date</c>) may be from this host's before a refused authenticator
    /// code is reported as clock drift rather than a wrong <see cref="TotpSecret"/>.
    /// </summary>
    public TimeSpan MaxClockDrift { get; set; } = TimeSpan.FromSeconds(15);
}
