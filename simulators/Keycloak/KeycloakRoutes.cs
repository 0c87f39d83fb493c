namespace Tributary.Simulators.Keycloak;

/// <summary>Paths and simulated route names of the Keycloak simulator (realm <c>vestr</c>).</summary>
public static class KeycloakRoutes
{
    /// <summary>Stands in for <c>https://{keycloak}/realms/vestr</c>; a client's realm base is this path plus <c>/</c>.</summary>
    public const string RealmPath = "/keycloak/realms/vestr";

    /// <summary>The realm's name, as it appears in URLs and pages.</summary>
    public const string Realm = "vestr";

    /// <summary><c>GET {RealmPath}/protocol/openid-connect/auth</c>: the login page.</summary>
    public const string Auth = "keycloak.auth";

    /// <summary><c>POST {RealmPath}/login-actions/authenticate</c>: the login and OTP forms' action.</summary>
    public const string Authenticate = "keycloak.authenticate";

    /// <summary><c>POST {RealmPath}/protocol/openid-connect/token</c>.</summary>
    public const string Token = "keycloak.token";

    /// <summary>Any other path under <see cref="RealmPath"/>: 404.</summary>
    public const string NotFound = "keycloak.notfound";

    /// <summary>The admin API of this simulator.</summary>
    public const string AdminPath = "/_admin/keycloak";

    /// <summary>Keycloak's session cookie: the login session a form POST continues.</summary>
    public const string SessionCookie = "AUTH_SESSION_ID";

    /// <summary>Keycloak's restart cookie (an encoded login context there; opaque here).</summary>
    public const string RestartCookie = "KC_RESTART";

    /// <summary>How long an authorization code from the browser flow can be exchanged (Keycloak's default).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>How long a login session (between the login page and the OTP) lives (Keycloak's default is 30 minutes).</summary>
    public static readonly TimeSpan LoginSessionLifetime = TimeSpan.FromMinutes(30);

    public const string Scope = "openid";
}
